package dev.roomcast.internal;

import dev.roomcast.spi.OutboundFrame;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The hub-wide bound on frame bytes held in outboxes: every connection's queue draws from it, so a
 * thousand clients that stop reading cannot together hold more than {@link #limit()} bytes,
 * whatever each one's own outbox bound.
 *
 * <p>What it counts is memory, not deliveries: a broadcast frame is one object shared by every
 * recipient, so it is counted once while any outbox holds it (each frame carries a holder count,
 * see {@link FrameHolders}) and released when the last outbox lets go. Counting per recipient would
 * make a 32 KiB message to 1,000 members look like 32 MB and shed healthy members.
 *
 * <p>Thread-safe and lock-free. {@link #acquire} fails rather than exceed the limit; the caller
 * treats that like its own outbox overflowing (close with 4000, resumable).
 */
public final class OutboxBudget {
  private final long limit;
  private final AtomicLong held = new AtomicLong();

  /**
   * @param limit the most bytes all outboxes together may hold; {@code Long.MAX_VALUE} for none
   */
  public OutboxBudget(long limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be >= 1, was " + limit);
    }
    this.limit = limit;
  }

  /** The bound in bytes. */
  public long limit() {
    return limit;
  }

  /** Bytes held now (each shared frame once). */
  public long held() {
    return held.get();
  }

  /**
   * Takes one hold on {@code frame} for an outbox. The first holder pays the frame's bytes from the
   * budget; later holders of the same frame pay nothing.
   *
   * @return {@code false}, taking nothing, when paying would exceed the limit
   */
  boolean acquire(OutboundFrame frame) {
    while (true) {
      int holders = FrameHolders.get(frame);
      if (holders > 0) {
        if (FrameHolders.compareAndSet(frame, holders, holders + 1)) {
          return true;
        }
        continue;
      }
      int bytes = frame.byteLength();
      if (!reserve(bytes)) {
        return false;
      }
      if (FrameHolders.compareAndSet(frame, 0, 1)) {
        return true;
      }
      // Another outbox became the first holder meanwhile and paid: give ours back, hold again.
      held.addAndGet(-bytes);
    }
  }

  /** Gives back one hold taken by {@link #acquire}; the last one frees the frame's bytes. */
  void release(OutboundFrame frame) {
    if (FrameHolders.decrementAndGet(frame) == 0) {
      held.addAndGet(-frame.byteLength());
    }
  }

  /** Reserves bytes that are not a shared frame (a queued inbound message); false when full. */
  boolean tryReserve(int bytes) {
    return reserve(bytes);
  }

  /** Gives back bytes taken by {@link #tryReserve}. */
  void free(int bytes) {
    held.addAndGet(-bytes);
  }

  private boolean reserve(int bytes) {
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
}
