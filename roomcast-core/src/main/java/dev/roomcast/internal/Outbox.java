package dev.roomcast.internal;

import dev.roomcast.OutboxLimits;
import dev.roomcast.spi.OutboundFrame;
import dev.roomcast.spi.Transport;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One connection's bounded FIFO of frames and its single writer: at most one {@link Transport#send}
 * in flight, the next one started from the previous one's completion.
 *
 * <p>Thread-safe and lock-free: {@link #offer} may be called from any thread; whichever thread
 * finds the outbox idle becomes the writer until the queue is empty. A transport that completes
 * sends inline does not recurse: the writer loop continues instead.
 *
 * <p>Overflow (a frame that would pass either bound, or the hub-wide {@link OutboxBudget}) and a
 * failed write both make the outbox dead: queued frames are dropped at once (memory is released
 * before the connection is even closed) and the owner's {@link Listener} is told once.
 */
public final class Outbox {

  /** Told once when the outbox dies. Called on the offering or completing thread. */
  public interface Listener {
    /** The queue overflowed its limits: the consumer is too slow. */
    void onOverflow();

    /**
     * The hub-wide {@link OutboxBudget} had no room for a frame this outbox had to queue: the
     * server holds too much for clients that do not read.
     */
    void onBudgetExhausted();

    /** A write failed; the connection is probably gone. */
    void onWriteFailed(Throwable failure);

    /** A frame was handed to the transport successfully. */
    void onWritten(OutboundFrame frame);
  }

  private static final int SENDING = 0;
  private static final int RETURNED = 1;
  private static final int COMPLETED_INLINE = 2;

  private final Transport transport;
  private final OutboxLimits limits;
  private final Listener listener;
  private final OutboxBudget budget;
  private final ConcurrentLinkedQueue<OutboundFrame> queue = new ConcurrentLinkedQueue<>();
  private final AtomicInteger frames = new AtomicInteger();
  private final AtomicLong bytes = new AtomicLong();
  private final AtomicBoolean writing = new AtomicBoolean();
  private final AtomicBoolean dead = new AtomicBoolean();
  private final AtomicInteger sendPhase = new AtomicInteger();
  private volatile OutboundFrame inFlight;
  private final Transport.WriteCallback onSent = this::sendCompleted;

  /** An outbox with no hub-wide budget (tests and single-connection tools). */
  public Outbox(Transport transport, OutboxLimits limits, Listener listener) {
    this(transport, limits, listener, new OutboxBudget(Long.MAX_VALUE));
  }

  public Outbox(Transport transport, OutboxLimits limits, Listener listener, OutboxBudget budget) {
    this.transport = transport;
    this.limits = limits;
    this.listener = listener;
    this.budget = budget;
  }

  /**
   * Queues a frame and starts writing if idle.
   *
   * @return {@code false} if the outbox is dead or this frame overflowed it
   */
  public boolean offer(OutboundFrame frame) {
    if (dead.get()) {
      return false;
    }
    int n = frames.incrementAndGet();
    long b = bytes.addAndGet(frame.byteLength());
    if (n > limits.maxFrames() || b > limits.maxBytes()) {
      frames.decrementAndGet();
      bytes.addAndGet(-frame.byteLength());
      if (die()) {
        listener.onOverflow();
      }
      return false;
    }
    if (!budget.acquire(frame)) {
      frames.decrementAndGet();
      bytes.addAndGet(-frame.byteLength());
      if (die()) {
        listener.onBudgetExhausted();
      }
      return false;
    }
    queue.add(frame);
    if (writing.compareAndSet(false, true)) {
      writeLoop();
    }
    return true;
  }

  /** Frames queued or in flight. */
  public int queuedFrames() {
    return frames.get();
  }

  /** Payload bytes queued or in flight. */
  public long queuedBytes() {
    return bytes.get();
  }

  /** Whether the outbox overflowed, failed or was shut. */
  public boolean isDead() {
    return dead.get();
  }

  /** Drops everything queued and refuses further frames. Idempotent. */
  public void shut() {
    die();
  }

  private boolean die() {
    if (!dead.compareAndSet(false, true)) {
      return false;
    }
    OutboundFrame f;
    while ((f = queue.poll()) != null) {
      release(f);
    }
    return true;
  }

  // Runs on the thread that owns the writing flag.
  private void writeLoop() {
    while (true) {
      OutboundFrame next = dead.get() ? null : queue.poll();
      if (next == null) {
        writing.set(false);
        // A frame offered after our poll but before the flag was cleared must not be stranded.
        if (dead.get() || queue.isEmpty() || !writing.compareAndSet(false, true)) {
          return;
        }
        continue;
      }
      inFlight = next;
      sendPhase.set(SENDING);
      try {
        transport.send(next, onSent);
      } catch (RuntimeException e) {
        // A transport must not throw; treat it like a failed write rather than losing the writer.
        if (sendPhase.compareAndSet(SENDING, COMPLETED_INLINE)) {
          release(next);
          fail(e);
        }
        return;
      }
      if (sendPhase.compareAndSet(SENDING, RETURNED)) {
        return; // completion will come later and continue the loop
      }
      // completed inline: the callback left the loop to us
      if (dead.get()) {
        writing.set(false);
        return;
      }
    }
  }

  private void sendCompleted(Throwable failure) {
    OutboundFrame done = inFlight;
    // An idle connection would otherwise keep its last frame (often its own welcome) for life.
    inFlight = null;
    release(done);
    if (failure != null) {
      fail(failure);
      sendPhase.set(COMPLETED_INLINE);
      writing.set(false);
      return;
    }
    listener.onWritten(done);
    if (sendPhase.compareAndSet(SENDING, COMPLETED_INLINE)) {
      return; // the writer loop is still on the stack and continues
    }
    writeLoop();
  }

  private void release(OutboundFrame f) {
    frames.decrementAndGet();
    bytes.addAndGet(-f.byteLength());
    budget.release(f);
  }

  private void fail(Throwable failure) {
    if (die()) {
      listener.onWriteFailed(failure);
    }
  }
}
