package dev.roomcast.internal;

/**
 * A per-connection publish rate limiter. Not thread-safe by itself: a connection's inbound frames
 * arrive one at a time, and the owner synchronizes if its transport does not guarantee that.
 */
public final class TokenBucket {
  private final double ratePerNano;
  private final double capacity;
  private double tokens;
  private long lastNanos;

  public TokenBucket(double ratePerSecond, int capacity, long nowNanos) {
    this.ratePerNano = ratePerSecond / 1_000_000_000.0;
    this.capacity = capacity;
    this.tokens = capacity;
    this.lastNanos = nowNanos;
  }

  /** Nanoseconds until a token is available (0 when one is now). Does not take it. */
  public long nanosUntilToken(long nowNanos) {
    refill(nowNanos);
    return tokens >= 1.0 ? 0 : (long) Math.ceil((1.0 - tokens) / ratePerNano);
  }

  private void refill(long nowNanos) {
    long elapsed = nowNanos - lastNanos;
    if (elapsed > 0) {
      tokens = Math.min(capacity, tokens + elapsed * ratePerNano);
      lastNanos = nowNanos;
    }
  }

  /** Takes one token if available. */
  public boolean tryAcquire(long nowNanos) {
    refill(nowNanos);
    if (tokens >= 1.0) {
      tokens -= 1.0;
      return true;
    }
    return false;
  }
}
