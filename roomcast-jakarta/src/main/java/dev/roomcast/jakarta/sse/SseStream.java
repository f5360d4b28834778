package dev.roomcast.jakarta.sse;

import dev.roomcast.CloseCodes;
import dev.roomcast.Connection;
import dev.roomcast.spi.OutboundFrame;
import dev.roomcast.spi.Transport;
import java.io.IOException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One Server-Sent Events subscriber: the hub's {@link Transport} for it, writing through a
 * container-specific {@link Sink}. Made by {@link SseEndpoint#open}; a container adapter commits
 * the response headers, then calls {@link #start}, and reports a vanished client with {@link
 * #transportClosed()}.
 *
 * <p>Writes: the sink never has more than one write in flight. The hub's outbox already guarantees
 * that for room frames; this class also fits the {@code retry:} hint and heartbeats in between,
 * holding the hub's one frame back while one of those is being written. Frames the hub sends before
 * {@link #start} (the welcome, a resume's catch-up) wait here until the response is committed, so a
 * refused join can still be answered with an HTTP error.
 *
 * <p>Heartbeats: every {@link SseConfig#heartbeat()} a {@code : heartbeat} comment is written
 * unless a write is in flight. A write still unfinished after {@link SseConfig#writeTimeout()} (the
 * client stopped reading) closes the stream as a slow consumer (4000), like an outbox overflow.
 *
 * <p>Closing: {@link #close} (from the hub: drain 1012, slow consumer 4000, hub closed 1001) ends
 * the response through {@link Sink#close()}; an SSE client cannot see the code, it just reconnects
 * after the {@code retry:} delay and resumes with {@code Last-Event-ID}.
 *
 * <p>Thread-safe: the hub, the container and the heartbeat thread may call in concurrently. No lock
 * is held while calling the sink or the hub.
 */
public final class SseStream implements Transport {
  private static final Logger LOG = Logger.getLogger(SseStream.class.getName());

  /**
   * The container side of one SSE response. Implementations must not block.
   *
   * <p>Threading contract: {@link #write} is never called again before the previous write's
   * callback ran; {@link #close} may be called at any time, from any thread, also while a write is
   * in flight, and at most once.
   */
  public interface Sink {
    /**
     * Starts writing and flushing {@code bytes}. Exactly one call to {@code done} must follow, on
     * any thread, possibly before this method returns: {@code null} once the bytes were handed to
     * the network layer, or the failure. Must not block waiting for the client.
     */
    void write(byte[] bytes, WriteCallback done);

    /**
     * Ends the response: gracefully when nothing is stuck, otherwise by dropping the connection. A
     * write still in flight must still get its callback (a failure is fine), and a write that
     * arrives after the close must fail. Must not block.
     */
    void close();
  }

  private final SseEndpoint owner;
  private final Object lock = new Object();
  private final AtomicBoolean counted = new AtomicBoolean(true);

  // guarded by lock
  private Sink sink;
  private boolean writing;
  private long writeStartedNanos;
  private byte[] pendingBytes;
  private WriteCallback pendingDone;
  private boolean closed;
  private boolean welcomeSeen;
  private ScheduledFuture<?> heartbeatTask;

  private volatile Connection connection;

  SseStream(SseEndpoint owner) {
    this.owner = owner;
  }

  /** The hub's connection for this stream, once joined. */
  void attach(Connection c) {
    connection = c;
    boolean isClosed;
    synchronized (lock) {
      isClosed = closed;
    }
    if (isClosed) {
      c.transportClosed(); // the client left before join returned
    }
  }

  /** The hub's connection for this stream ({@code null} before the join returned). */
  public Connection connection() {
    return connection;
  }

  /**
   * Starts streaming into {@code sink}: writes the {@code retry:} hint, then everything the hub
   * queued so far, then live frames; starts the heartbeat. Call once, after the response status and
   * headers are set. If the stream was closed meanwhile, the sink is closed at once.
   */
  public void start(Sink newSink) {
    synchronized (lock) {
      if (sink != null) {
        throw new IllegalStateException("already started");
      }
      sink = newSink;
      if (!closed) {
        writing = true;
        writeStartedNanos = System.nanoTime();
        heartbeatTask = owner.scheduleHeartbeat(this);
      }
    }
    if (isClosedNow()) {
      newSink.close();
      return;
    }
    write(SseEvents.retry(owner.config().retry()), null);
  }

  /** Whether the stream is still open. */
  public boolean isOpen() {
    return !isClosedNow();
  }

  private boolean isClosedNow() {
    synchronized (lock) {
      return closed;
    }
  }

  /**
   * The container reports that the client went away (connection closed, write error, async
   * timeout). Leaves the room. Idempotent.
   */
  public void transportClosed() {
    if (shut()) {
      Connection c = connection;
      if (c != null) {
        c.transportClosed();
      }
    }
  }

  // ---- Transport (called by the hub)

  /** Hub side: encodes the frame as an SSE event and writes it, or queues it behind a heartbeat. */
  @Override
  public void send(OutboundFrame frame, WriteCallback done) {
    byte[] bytes;
    boolean first;
    synchronized (lock) {
      first = !welcomeSeen;
      welcomeSeen = true;
    }
    // The hub queues the welcome before anything else; it gets an id when it knows the position.
    bytes = first ? SseEvents.event(frame, SseEvents.welcomeIdOf(frame)) : owner.encode(frame);
    boolean startNow = false;
    boolean refused = false;
    synchronized (lock) {
      if (closed) {
        refused = true;
      } else if (sink == null || writing) {
        if (pendingDone != null) {
          // The outbox never has two sends in flight; this would be a bug in the caller.
          throw new IllegalStateException("a second send while one is in flight");
        }
        pendingBytes = bytes;
        pendingDone = done;
      } else {
        writing = true;
        writeStartedNanos = System.nanoTime();
        startNow = true;
      }
    }
    if (refused) {
      done.completed(new IOException("SSE stream closed"));
    } else if (startNow) {
      write(bytes, done);
    }
  }

  /**
   * Hub side: ends the response. The code cannot reach an SSE client; it reconnects and resumes.
   */
  @Override
  public void close(int code, String reason) {
    LOG.log(Level.FINE, () -> "SSE stream closed by the hub: " + code + " " + reason);
    shut();
  }

  // ---- heartbeat

  /** Runs on the endpoint's scheduler every heartbeat interval. */
  void heartbeat() {
    boolean stalled = false;
    boolean beat = false;
    synchronized (lock) {
      if (closed || sink == null) {
        return;
      }
      if (writing) {
        stalled = System.nanoTime() - writeStartedNanos > owner.config().writeTimeout().toNanos();
      } else {
        writing = true;
        writeStartedNanos = System.nanoTime();
        beat = true;
      }
    }
    if (beat) {
      write(SseEvents.heartbeat(), null);
    } else if (stalled) {
      owner.countStalled();
      Connection c = connection;
      if (c != null) {
        c.close(CloseCodes.SLOW_CONSUMER, "slow consumer: write timed out");
      }
      shut(); // no-op when the hub's close already did it
    }
  }

  // ---- internals

  private void write(byte[] bytes, WriteCallback hubDone) {
    Sink s;
    synchronized (lock) {
      s = sink;
    }
    AtomicBoolean once = new AtomicBoolean();
    try {
      s.write(
          bytes,
          failure -> {
            if (once.compareAndSet(false, true)) {
              written(failure, hubDone);
            }
          });
    } catch (RuntimeException e) {
      if (once.compareAndSet(false, true)) {
        written(e, hubDone);
      }
    }
  }

  private void written(Throwable failure, WriteCallback hubDone) {
    byte[] nextBytes = null;
    WriteCallback nextDone = null;
    synchronized (lock) {
      writing = false;
      if (failure == null && !closed && pendingDone != null) {
        nextBytes = pendingBytes;
        nextDone = pendingDone;
        pendingBytes = null;
        pendingDone = null;
        writing = true;
        writeStartedNanos = System.nanoTime();
      }
    }
    if (hubDone != null) {
      hubDone.completed(failure);
    }
    if (failure != null) {
      LOG.log(Level.FINE, () -> "SSE write failed: " + failure);
      transportClosed();
      return;
    }
    if (nextDone != null) {
      write(nextBytes, nextDone);
    }
  }

  /**
   * Marks the stream closed, stops the heartbeat, fails a frame still waiting, closes the sink.
   *
   * @return whether this call closed it
   */
  private boolean shut() {
    Sink s;
    WriteCallback orphan;
    ScheduledFuture<?> task;
    synchronized (lock) {
      if (closed) {
        return false;
      }
      closed = true;
      s = sink;
      orphan = pendingDone;
      pendingDone = null;
      pendingBytes = null;
      task = heartbeatTask;
      heartbeatTask = null;
    }
    if (task != null) {
      task.cancel(false);
    }
    if (counted.compareAndSet(true, false)) {
      owner.streamClosed();
    }
    if (orphan != null) {
      orphan.completed(new IOException("SSE stream closed"));
    }
    if (s != null) {
      try {
        // also after a client-side close: the sink releases the container's response
        s.close();
      } catch (RuntimeException e) {
        LOG.log(Level.FINE, "closing an SSE sink failed", e);
      }
    }
    return true;
  }
}
