package dev.roomcast.grizzly.internal;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Token buckets for HTTP publishing, one per key (a client address, a token subject): {@code rate}
 * publishes per second sustained, {@code burst} at once. A publish must find a token in every
 * bucket it is counted in, or it takes none.
 *
 * <p>Buckets of keys that went quiet are full again and carry no information, so when the map holds
 * {@link #MAX_KEYS} keys the full ones are dropped; memory is bounded whatever the number of
 * addresses a client can use. Thread-safe: each bucket is guarded by its own monitor.
 */
final class PublishRateLimiter {
  static final int MAX_KEYS = 100_000;

  private final double tokensPerNano;
  private final double burst;
  private final LongSupplier clock;
  private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();

  PublishRateLimiter(double ratePerSecond, int burst) {
    this(ratePerSecond, burst, System::nanoTime);
  }

  PublishRateLimiter(double ratePerSecond, int burst, LongSupplier nanoClock) {
    this.tokensPerNano = ratePerSecond / 1e9;
    this.burst = burst;
    this.clock = nanoClock;
  }

  /**
   * Takes one token from the bucket of each key ({@code null} keys are skipped).
   *
   * @return 0 if the publish may go ahead, else the nanoseconds until it could (nothing taken)
   */
  long acquire(String... keys) {
    long now = clock.getAsLong();
    for (int i = 0; i < keys.length; i++) {
      if (keys[i] == null) {
        continue;
      }
      long wait = bucket(keys[i], now).take(now);
      if (wait > 0) {
        for (int j = 0; j < i; j++) {
          if (keys[j] != null) {
            bucket(keys[j], now).refund();
          }
        }
        return wait;
      }
    }
    return 0;
  }

  /** Keys with a bucket now (for tests). */
  int keys() {
    return buckets.size();
  }

  private Bucket bucket(String key, long now) {
    Bucket b = buckets.get(key);
    if (b != null) {
      return b;
    }
    if (buckets.size() >= MAX_KEYS) {
      buckets.values().removeIf(x -> x.isFull(now));
    }
    return buckets.computeIfAbsent(key, k -> new Bucket(now));
  }

  private final class Bucket {
    private double tokens = burst;
    private long refilledAt;

    Bucket(long now) {
      this.refilledAt = now;
    }

    synchronized long take(long now) {
      refill(now);
      if (tokens >= 1) {
        tokens -= 1;
        return 0;
      }
      return (long) Math.ceil((1 - tokens) / tokensPerNano);
    }

    synchronized void refund() {
      tokens = Math.min(burst, tokens + 1);
    }

    synchronized boolean isFull(long now) {
      refill(now);
      return tokens >= burst;
    }

    private void refill(long now) {
      long elapsed = now - refilledAt;
      if (elapsed > 0) {
        tokens = Math.min(burst, tokens + elapsed * tokensPerNano);
        refilledAt = now;
      }
    }
  }
}
