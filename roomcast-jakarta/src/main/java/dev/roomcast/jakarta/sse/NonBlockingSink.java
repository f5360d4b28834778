package dev.roomcast.jakarta.sse;

import dev.roomcast.spi.Transport.WriteCallback;
import java.io.IOException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * An {@link SseStream.Sink} over a container's non-blocking output (Servlet {@code
 * ServletOutputStream} with a {@code WriteListener}, Grizzly's {@code NIOOutputStream} with {@code
 * notifyCanWrite}). Subclasses supply four primitives; this class sequences them so that the
 * container's output is only ever touched by one thread at a time.
 *
 * <p>How a write proceeds: wait until {@link #ready()}, {@link #writeBytes}, wait until ready,
 * {@link #flushBytes}, wait until ready, then report the write done. "Ready" after the flush means
 * the container took the bytes without queueing beyond its own bound, so a client that stops
 * reading stops the callbacks, the hub's outbox fills, and the member is cut loose as a slow
 * consumer: memory stays bounded.
 *
 * <p>Threading: whoever finds the sink idle becomes the "pumper" and does the container calls,
 * without holding a lock; callers arriving meanwhile (the hub's next write, the container's
 * write-possible callback, a close) only leave a note for the pumper. {@link #containerClosed}
 * waits for a pumper to leave the container's output before it returns, so the container may
 * recycle the response right after it.
 */
public abstract class NonBlockingSink implements SseStream.Sink {
  private static final Logger LOG = Logger.getLogger(NonBlockingSink.class.getName());

  private final Object lock = new Object();

  // all guarded by lock
  private byte[] data;
  private boolean needFlush;
  private WriteCallback done;
  private boolean closeRequested;
  private boolean broken;
  private boolean ended;
  private boolean gone;
  private boolean pumping;
  private boolean again;
  private Thread pumper;

  /**
   * Whether the output can take a write or flush now without blocking. When it returns {@code
   * false} the implementation must make sure {@link #writePossible()} is called once it can.
   */
  protected abstract boolean ready();

  /** Writes without blocking (only called right after {@link #ready()} returned true). */
  protected abstract void writeBytes(byte[] bytes) throws IOException;

  /** Flushes without blocking (only called right after {@link #ready()} returned true). */
  protected abstract void flushBytes() throws IOException;

  /**
   * Ends the response, once. {@code graceful}: nothing is half-written and the last write
   * succeeded, so the response can be completed normally; otherwise drop the connection. Must not
   * block.
   */
  protected abstract void end(boolean graceful);

  /** For the container's write-possible callback. */
  protected final void writePossible() {
    pump();
  }

  /**
   * For the container's "connection closed / I/O error" callback: fails a write in flight and stops
   * touching the output. Returns once no other thread is inside the container's output, so the
   * container may recycle the response afterwards.
   */
  protected final void containerClosed(Throwable cause) {
    WriteCallback orphan;
    synchronized (lock) {
      gone = true;
      boolean interrupted = false;
      while (pumping && !ended && pumper != Thread.currentThread()) {
        try {
          lock.wait();
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
      orphan = done;
      done = null;
      data = null;
    }
    if (orphan != null) {
      orphan.completed(cause != null ? cause : new IOException("connection closed"));
    }
  }

  @Override
  public final void write(byte[] bytes, WriteCallback callback) {
    boolean refused;
    synchronized (lock) {
      refused = closeRequested || gone || ended;
      if (!refused) {
        if (done != null) {
          throw new IllegalStateException("a second write while one is in flight");
        }
        data = bytes;
        needFlush = false;
        done = callback;
      }
    }
    if (refused) {
      callback.completed(new IOException("SSE stream closed"));
      return;
    }
    pump();
  }

  @Override
  public final void close() {
    synchronized (lock) {
      if (closeRequested) {
        return;
      }
      closeRequested = true;
    }
    pump();
  }

  private void pump() {
    synchronized (lock) {
      if (pumping) {
        again = true;
        return;
      }
      pumping = true;
      again = false;
      pumper = Thread.currentThread();
    }
    while (step()) {
      // each step does at most one container call
    }
  }

  /** One step of the pumper; {@code false} when it stopped being the pumper. */
  private boolean step() {
    byte[] d;
    boolean flush;
    WriteCallback cb;
    boolean closing;
    synchronized (lock) {
      if (gone || ended) {
        return stop();
      }
      d = data;
      flush = needFlush;
      cb = done;
      closing = closeRequested;
      if (!closing && cb == null) {
        return idle();
      }
    }
    if (closing) {
      finish();
      return false;
    }
    try {
      if (!ready()) {
        synchronized (lock) {
          return idle();
        }
      }
      if (d != null) {
        writeBytes(d);
        synchronized (lock) {
          data = null;
          needFlush = true;
        }
        return true;
      }
      if (flush) {
        flushBytes();
        synchronized (lock) {
          needFlush = false;
        }
        return true;
      }
      synchronized (lock) {
        done = null;
      }
      cb.completed(null); // may call write() inline: that only leaves a note for this loop
      return true;
    } catch (IOException | RuntimeException e) {
      WriteCallback orphan;
      synchronized (lock) {
        orphan = done;
        done = null;
        data = null;
        broken = true;
        closeRequested = true;
      }
      LOG.log(Level.FINE, "SSE write failed", e);
      if (orphan != null) {
        orphan.completed(e);
      }
      return true; // the next step ends the response
    }
  }

  /** Caller holds the lock. Nothing to do now: loop again if someone left a note, else stop. */
  private boolean idle() {
    if (again) {
      again = false;
      return true;
    }
    return stop();
  }

  /** Caller holds the lock. */
  private boolean stop() {
    pumping = false;
    pumper = null;
    lock.notifyAll();
    return false;
  }

  private void finish() {
    WriteCallback orphan;
    boolean graceful;
    boolean mustEnd;
    synchronized (lock) {
      orphan = done;
      done = null;
      data = null;
      graceful = orphan == null && !broken;
      mustEnd = !gone; // once the container released the response, it is not ours to end
      ended = mustEnd; // from here on containerClosed does not wait for this thread
      stop();
    }
    if (orphan != null) {
      orphan.completed(new IOException("SSE stream closed"));
    }
    if (mustEnd) {
      try {
        end(graceful);
      } catch (RuntimeException e) {
        LOG.log(Level.FINE, "ending an SSE response failed", e);
      }
    }
  }
}
