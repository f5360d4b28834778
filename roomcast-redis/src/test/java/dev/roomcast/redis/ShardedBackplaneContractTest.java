package dev.roomcast.redis;

import dev.roomcast.spi.Backplane;
import dev.roomcast.spi.contract.BackplaneContract;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The shared backplane contract against the sharded mode: three independent redis-servers, rooms
 * spread over them by consistent hashing. Each {@link #newBackplane()} is a separate backplane over
 * the same three servers, so the contract's "instances" are clients of the same shards.
 */
class ShardedBackplaneContractTest extends BackplaneContract {
  @RegisterExtension static final RedisExtension redis = RedisExtension.ephemeral(3);

  @Override
  protected Backplane newBackplane() {
    return RedisBackplane.builder()
        .shards(redis.uris())
        .backoff(RedisExtension.quickBackoff())
        .historyLength(100)
        .build();
  }

  @Override
  protected int historySize() {
    return 100;
  }

  /** Every shard: the contract's outage is of the whole medium. */
  @Override
  protected void outage() {
    redis.servers().forEach(RedisServer::kill);
  }

  @Override
  protected void restore() {
    redis.servers().forEach(RedisServer::restart);
  }
}
