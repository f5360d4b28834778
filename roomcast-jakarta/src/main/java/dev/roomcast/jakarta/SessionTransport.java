package dev.roomcast.jakarta;

import dev.roomcast.spi.FrameEncoding;
import dev.roomcast.spi.OutboundFrame;
import dev.roomcast.spi.Transport;
import dev.roomcast.spi.WebSocketFrames;
import jakarta.websocket.CloseReason;
import jakarta.websocket.RemoteEndpoint;
import jakarta.websocket.SendHandler;
import jakarta.websocket.SendResult;
import jakarta.websocket.Session;
import java.io.IOException;
import java.lang.ref.WeakReference;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The hub's sink for one Jakarta WebSocket session: frames go out through the session's
 * asynchronous remote, closes through {@link Session#close(CloseReason)}.
 *
 * <p>The hub's outbox calls {@link #send} with at most one frame in flight, which is what
 * containers require of {@code getAsyncRemote().sendText} (Tomcat throws {@code TEXT_FULL_WRITING}
 * on a second concurrent send).
 */
final class SessionTransport implements Transport {
  private static final Logger LOG = Logger.getLogger(SessionTransport.class.getName());

  /**
   * How long a closing session may take to get its close frame out before the container's idle
   * timer is told to drop the connection. Sessions run without an idle timeout (keepalive decides
   * liveness), so without this a peer that stopped reading would keep a "closed" connection forever
   * in containers whose close waits for the close frame to be written (Jetty).
   */
  static final long CLOSE_GRACE_MILLIS = 5_000;

  private final Session session;
  private final ScheduledExecutorService scheduler;
  private final RemoteEndpoint.Async remote;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final SendHandler handler = this::onResult;
  private volatile WriteCallback pending;
  private final RawFrameSink raw;
  private final FrameEncoding rawEncoding;

  SessionTransport(Session session, ScheduledExecutorService scheduler, SendPaths paths) {
    this.session = session;
    this.scheduler = scheduler;
    this.remote = session.getAsyncRemote();
    this.raw = paths.choose(session, this::completeWith);
    this.rawEncoding = raw == null ? null : raw.encoding();
  }

  /** Whether this transport writes pre-built frames rather than calling sendText. */
  boolean writesRawFrames() {
    return raw != null;
  }

  @Override
  public void send(OutboundFrame frame, WriteCallback done) {
    // One send is in flight at a time (the outbox guarantees it), so one reusable handler and a
    // field for the pending callback are enough: no allocation per frame per recipient.
    pending = done;
    try {
      if (raw != null) {
        raw.write(frame.encoded(rawEncoding)); // framed once per broadcast, not per recipient
      } else {
        remote.sendText(frame.text(), handler);
      }
    } catch (RuntimeException e) {
      // session already closed, or the container refused the write
      completeWith(e);
    }
  }

  private void onResult(SendResult result) {
    completeWith(result.isOK() ? null : failureOf(result.getException()));
  }

  private void completeWith(Throwable failure) {
    WriteCallback done = pending;
    pending = null;
    if (done == null) {
      return; // a container reported the same send twice (exception and handler)
    }
    if (failure != null) {
      abandon(failure);
    }
    done.completed(failure);
  }

  /**
   * After a failed write the hub drops the connection without closing it (it assumes the peer is
   * gone). If the container still thinks the session is open, close it, so it cannot linger as a
   * member of nothing.
   */
  private void abandon(Throwable failure) {
    if (session.isOpen()) {
      // A reset or a connection already closed underneath is a peer that vanished: routine on a
      // public server, so not a warning (strangers could fill the log with them).
      boolean peerGone = failure instanceof IOException || failure instanceof IllegalStateException;
      LOG.log(
          peerGone ? Level.FINE : Level.WARNING,
          "write failed on open session " + session.getId() + "; closing it: " + failure);
      close(CloseReason.CloseCodes.UNEXPECTED_CONDITION.getCode(), "server error: write failed");
    } else {
      LOG.log(Level.FINE, () -> "write failed on closed session " + session.getId());
    }
  }

  private static Throwable failureOf(Throwable t) {
    return t != null ? t : new IOException("WebSocket send failed");
  }

  @Override
  public void close(int code, String reason) {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    closeWithin(session, code, reason, scheduler);
  }

  /**
   * Closes {@code session} with {@code code} and {@code reason}, bounding how long the connection
   * may linger if the peer never takes the close frame: {@link #CLOSE_GRACE_MILLIS} later, on
   * {@code scheduler}, the container's idle timeout is set to drop whatever is left.
   *
   * <p>Not before the close: Tyrus schedules an idle-timeout check on every asynchronous send, even
   * with the timeout off, and a check that runs once a timeout is set closes the session with 1006
   * at once, ahead of our close frame (seen under load: 1006 "idle timeout" instead of 4001). Tyrus
   * has already closed the session by the time the grace ends, so the late timeout is a no-op
   * there; Jetty, whose close waits for the frame to be written, is the container it is for.
   */
  static void closeWithin(
      Session session, int code, String reason, ScheduledExecutorService scheduler) {
    try {
      if (session.isOpen()) {
        session.close(new CloseReason(CloseReason.CloseCodes.getCloseCode(code), clip(reason)));
        // Weakly: a session the container has let go of needs nothing more, and holding every
        // closed session for the grace would keep thousands reachable under connection churn.
        WeakReference<Session> closing = new WeakReference<>(session);
        scheduler.schedule(
            () -> dropIfStillOpen(closing.get()), CLOSE_GRACE_MILLIS, TimeUnit.MILLISECONDS);
      }
    } catch (IOException | RuntimeException e) {
      // RejectedExecutionException: the deployment is closing, and its container with it
      LOG.log(Level.FINE, "closing session " + session.getId() + " failed", e);
    }
  }

  private static void dropIfStillOpen(Session session) {
    if (session == null) {
      return;
    }
    try {
      session.setMaxIdleTimeout(1);
    } catch (RuntimeException closedAlready) {
      // the close handshake completed: nothing left to bound
    }
  }

  /** Close reasons are limited to 123 bytes of UTF-8; cut at a character boundary. */
  static String clip(String reason) {
    if (reason == null) {
      return "";
    }
    return new String(WebSocketFrames.closeReason(reason), StandardCharsets.UTF_8);
  }
}
