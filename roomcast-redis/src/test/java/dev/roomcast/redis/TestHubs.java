package dev.roomcast.redis;

import dev.roomcast.BackoffPolicy;
import dev.roomcast.Hub;
import dev.roomcast.Limits;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Builds hubs on a test Redis and closes them after the test. */
final class TestHubs implements AutoCloseable {
  private final List<Hub> hubs = new ArrayList<>();

  /** Reconnects quickly: 20 ms doubling to 200 ms. */
  static BackoffPolicy quickBackoff() {
    return BackoffPolicy.builder()
        .initialDelay(Duration.ofMillis(20))
        .maxDelay(Duration.ofMillis(200))
        .build();
  }

  /** Always waits exactly {@code delay} before reconnecting. */
  static BackoffPolicy fixedBackoff(Duration delay) {
    return BackoffPolicy.builder()
        .initialDelay(delay)
        .maxDelay(delay)
        .jitter(BackoffPolicy.Jitter.NONE)
        .build();
  }

  static RedisBackplane.Builder backplane(RedisServer redis) {
    return RedisBackplane.builder().uri(redis.uri()).backoff(quickBackoff());
  }

  Hub hub(String nodeId, RedisBackplane backplane) {
    Hub h =
        Hub.builder()
            .nodeId(nodeId)
            .backplane(backplane)
            .limits(Limits.defaults().withPublishRate(100_000, 100_000))
            .build();
    hubs.add(h);
    return h;
  }

  @Override
  public void close() {
    hubs.forEach(Hub::close);
  }
}
