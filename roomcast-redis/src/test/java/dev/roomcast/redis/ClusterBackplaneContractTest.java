package dev.roomcast.redis;

import dev.roomcast.spi.Backplane;
import dev.roomcast.spi.contract.BackplaneContract;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The shared backplane contract against a real Redis Cluster: three primaries with a replica each,
 * sharded pub/sub, rooms on the primaries owning their slots.
 */
class ClusterBackplaneContractTest extends BackplaneContract {
  @RegisterExtension static final RedisExtension redis = RedisExtension.cluster(3);

  @Override
  protected Backplane newBackplane() {
    return RedisBackplane.builder()
        .cluster(redis.cluster().seeds())
        .backoff(RedisExtension.quickBackoff())
        .historyLength(100)
        .build();
  }

  @Override
  protected int historySize() {
    return 100;
  }

  /** Every node of the Cluster dies; it comes back with its configuration, without its data. */
  @Override
  protected void outage() {
    redis.servers().forEach(RedisServer::kill);
  }

  @Override
  protected void restore() {
    redis.servers().forEach(RedisServer::restart);
    redis.cluster().awaitOk();
  }
}
