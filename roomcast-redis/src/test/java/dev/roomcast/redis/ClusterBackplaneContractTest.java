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
    return RedisBackplane.builder().cluster(redis.cluster().seeds()).historyLength(100).build();
  }

  @Override
  protected int historySize() {
    return 100;
  }
}
