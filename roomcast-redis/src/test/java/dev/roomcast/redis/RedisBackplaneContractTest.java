package dev.roomcast.redis;

import dev.roomcast.spi.Backplane;
import dev.roomcast.spi.contract.BackplaneContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The shared backplane contract from roomcast-core's test-jar, unchanged, against a real
 * redis-server. Each {@link #newBackplane()} is a separate {@link RedisBackplane} (its own
 * connections and threads), so the contract's "two instances" are two clients of one Redis.
 */
class RedisBackplaneContractTest extends BackplaneContract {
  private static RedisServer redis;

  @BeforeAll
  static void startRedis() {
    redis = RedisServer.start();
  }

  @AfterAll
  static void stopRedis() {
    redis.close();
  }

  @Override
  protected Backplane newBackplane() {
    // The contract closes every node it attaches; a RedisBackplane holds no resources itself.
    return RedisBackplane.builder().uri(redis.uri()).historyLength(100).build();
  }

  @Override
  protected int historySize() {
    return 100;
  }
}
