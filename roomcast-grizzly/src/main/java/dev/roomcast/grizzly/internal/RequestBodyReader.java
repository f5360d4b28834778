package dev.roomcast.grizzly.internal;

import java.io.IOException;
import java.util.Arrays;
import java.util.concurrent.ScheduledFuture;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.glassfish.grizzly.ReadHandler;
import org.glassfish.grizzly.http.io.NIOInputStream;
import org.glassfish.grizzly.http.server.Request;

/**
 * Reads one request body without holding a thread: Grizzly calls back as bytes arrive, and the body
 * ends in exactly one of {@link Listener}'s outcomes. Bounded three ways: at most {@code limit}
 * bytes are kept (more is {@link Listener#tooLarge}), the bytes count against the server's {@link
 * InboundBudget} while they are held, and the whole body must arrive within the edge's body timeout
 * of {@link #start}.
 *
 * <p>Thread-safety: Grizzly's callbacks for one request come one at a time; the timeout runs on the
 * edge timer. The outcome and the budget held are guarded by this object's monitor, so whichever
 * comes first is the only outcome and the budget is given back exactly once.
 */
final class RequestBodyReader implements ReadHandler {
  private static final Logger LOG = Logger.getLogger(RequestBodyReader.class.getName());

  /** How a body read ends. Each method is called at most once, and only one of them. */
  interface Listener {
    void body(byte[] body);

    /** More than the limit arrived (or was declared); the rest is not read. */
    void tooLarge();

    /** Fewer bytes than {@code Content-Length} arrived before the end of the body. */
    void incomplete();

    /** The body did not arrive in time. */
    void timedOut();

    /** The server's inbound budget is full. */
    void serverBusy();

    /** The connection failed or closed; nothing can be answered. */
    void gone(Throwable cause);
  }

  private final NIOInputStream in;
  private final long declared;
  private final int limit;
  private final Edge edge;
  private final Listener listener;
  private byte[] buffer;
  private int length;
  private ScheduledFuture<?> deadline; // guarded by this
  private boolean done; // guarded by this
  private long reserved; // guarded by this

  /**
   * @param declared the request's {@code Content-Length}, or -1 when it has none (chunked)
   * @param limit the most bytes accepted
   */
  RequestBodyReader(Request request, long declared, int limit, Edge edge, Listener listener) {
    this.in = request.getNIOInputStream();
    this.declared = declared;
    this.limit = limit;
    this.edge = edge;
    this.listener = listener;
    this.buffer = new byte[(int) Math.min(limit + 1L, declared >= 0 ? declared + 1 : 8192)];
  }

  /** Starts reading; the caller has suspended the response. */
  void start() {
    if (declared == 0) {
      complete(); // Grizzly never calls back for a body that has no bytes
      return;
    }
    ScheduledFuture<?> timer = edge.later(edge.config.bodyTimeout().toMillis(), this::timeout);
    synchronized (this) {
      deadline = timer;
    }
    in.notifyAvailable(this);
  }

  @Override
  public void onDataAvailable() throws IOException {
    if (!drain()) {
      return;
    }
    if (declared >= 0 && length >= declared) {
      // All that was declared: done, without waiting for the codec to say so. A request that
      // also asked for an h2c upgrade (the JDK client does) is not delimited by the codec.
      complete();
      return;
    }
    in.notifyAvailable(this); // calls onAllDataRead at once if that was the end
  }

  @Override
  public void onAllDataRead() throws IOException {
    if (!drain()) {
      return;
    }
    if (declared >= 0 && length < declared) {
      finish(listener::incomplete);
      return;
    }
    complete();
  }

  private void complete() {
    byte[] body = length == buffer.length ? buffer : Arrays.copyOf(buffer, length);
    finish(() -> listener.body(body));
  }

  @Override
  public void onError(Throwable t) {
    // a reset, or the peer closed before the end: routine for strangers, so no trace
    LOG.log(Level.FINE, () -> "request body read failed: " + t);
    finish(() -> listener.gone(t));
  }

  private void timeout() {
    if (!isDone()) {
      edge.counters.bodyTimeouts.increment();
      finish(listener::timedOut);
    }
  }

  /**
   * Moves what is readable into the buffer.
   *
   * @return false if the read ended (too large, budget full, or already done)
   */
  private boolean drain() throws IOException {
    int ready;
    while ((ready = in.readyData()) > 0) {
      if (declared >= 0) {
        ready = (int) Math.min(ready, declared - length);
        if (ready == 0) {
          break;
        }
      }
      if (length + (long) ready > limit) {
        finish(listener::tooLarge);
        return false;
      }
      Hold held = hold(ready);
      if (held == Hold.DONE) {
        return false; // already answered (timed out)
      }
      if (held == Hold.FULL) {
        edge.counters.inboundBudgetRefused.increment();
        finish(listener::serverBusy);
        return false;
      }
      if (length + ready > buffer.length) {
        buffer =
            Arrays.copyOf(
                buffer, (int) Math.min(limit + 1L, Math.max(length + ready, 2L * buffer.length)));
      }
      int n = in.read(buffer, length, ready);
      if (n < 0) {
        break;
      }
      length += n;
    }
    return !isDone();
  }

  private enum Hold {
    TAKEN,
    FULL,
    DONE
  }

  /** Counts {@code n} more bytes against the inbound budget, unless the read is over. */
  private synchronized Hold hold(int n) {
    if (done) {
      return Hold.DONE;
    }
    if (!edge.inbound.reserve(n)) {
      return Hold.FULL;
    }
    reserved += n;
    return Hold.TAKEN;
  }

  private synchronized boolean isDone() {
    return done;
  }

  private void finish(Runnable outcome) {
    synchronized (this) {
      if (done) {
        return;
      }
      done = true;
      edge.inbound.release(reserved);
      reserved = 0;
      if (deadline != null) {
        // Met early (the usual case): drop the timer task now, not in ten seconds. Until then it
        // would keep this reader, its body and the request reachable: under a publish flood that
        // was the heap.
        deadline.cancel(false);
        deadline = null;
      }
    }
    outcome.run();
  }
}
