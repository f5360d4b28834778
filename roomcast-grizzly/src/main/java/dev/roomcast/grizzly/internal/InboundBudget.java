package dev.roomcast.grizzly.internal;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The bound on bytes received but not yet usable, for all connections together: WebSocket messages
 * that have started but not ended, and HTTP request bodies being read. One connection's share is
 * bounded by the message size limit already; this bounds many of them trickling at once (ten
 * thousand connections each one byte short of 64 KiB would be 640 MB). Thread-safe.
 */
public final class InboundBudget {
  private final long limit;
  private final AtomicLong held = new AtomicLong();

  InboundBudget(long limit) {
    this.limit = limit;
  }

  /**
   * Takes {@code bytes} more.
   *
   * @return {@code false}, taking nothing, if that would pass the limit
   */
  boolean reserve(long bytes) {
    while (true) {
      long now = held.get();
      if (now + bytes > limit) {
        return false;
      }
      if (held.compareAndSet(now, now + bytes)) {
        return true;
      }
    }
  }

  void release(long bytes) {
    held.addAndGet(-bytes);
  }

  public long held() {
    return held.get();
  }

  long limit() {
    return limit;
  }
}
