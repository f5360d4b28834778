package dev.roomcast.redis;

import dev.roomcast.spi.Backplane;
import dev.roomcast.spi.contract.BackplaneContract;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The shared backplane contract from roomcast-core's test-jar, unchanged, against a real
 * redis-server. Each {@link #newBackplane()} is a separate {@link RedisBackplane} (its own
 * connections and threads), so the contract's "two instances" are two clients of one Redis.
 */
class RedisBackplaneContractTest extends BackplaneContract {
  @RegisterExtension static final RedisExtension redis = RedisExtension.ephemeral();

  @Override
  protected Backplane newBackplane() {
    // The contract closes every node it attaches; a RedisBackplane holds no resources itself.
    return RedisExtension.backplane(redis.server()).historyLength(100).build();
  }

  @Override
  protected int historySize() {
    return 100;
  }

  @Override
  protected void outage() {
    redis.server().kill();
  }

  @Override
  protected void restore() {
    redis.server().restart();
  }
}
