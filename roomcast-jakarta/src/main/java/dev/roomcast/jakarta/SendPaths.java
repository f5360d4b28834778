package dev.roomcast.jakarta;

import dev.roomcast.spi.Transport;
import jakarta.websocket.Session;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Chooses how one deployment's sessions send broadcast frames, and counts the choices: the
 * embedding server's own writer ({@link RawFrameSinks}), Tyrus' writer reached by reflection
 * ({@link TyrusRawFrameSink}, for Tyrus servers roomcast does not own), or the container's {@code
 * sendText}, which encodes and frames every message once per recipient.
 *
 * <p>The last is the slow path. Where a faster one was expected (a sink provider is configured, or
 * Tyrus is the container) taking it is logged once per deployment at WARNING, so a renamed Tyrus
 * field or a module path without {@code opens} cannot turn into a silent performance cliff; the
 * counts are in {@link RoomcastDeployment} and the servers' metrics. Thread-safe.
 */
final class SendPaths {
  private static final Logger LOG = Logger.getLogger(SendPaths.class.getName());

  /**
   * System property: {@code false} turns the reflective Tyrus path off (an escape hatch should a
   * Tyrus release change what it reaches; sessions then use {@code sendText}).
   */
  static final String TYRUS_RAW_FRAMES_PROPERTY = "dev.roomcast.jakarta.tyrusRawFrames";

  /** Whether Tyrus is on the class path (then sends may use {@link TyrusRawFrameSink}). */
  private static final boolean TYRUS = tyrusPresent();

  private final RawFrameSinks configured;
  private final boolean reflectionAllowed;
  private final LongAdder direct = new LongAdder();
  private final LongAdder reflected = new LongAdder();
  private final LongAdder sendText = new LongAdder();
  private final AtomicBoolean reported = new AtomicBoolean();

  SendPaths(RawFrameSinks configured) {
    this.configured = configured;
    this.reflectionAllowed =
        TYRUS && !"false".equalsIgnoreCase(System.getProperty(TYRUS_RAW_FRAMES_PROPERTY));
  }

  /** The sink for a session that just opened, or {@code null} for {@code sendText}. */
  RawFrameSink choose(Session session, Transport.WriteCallback done) {
    if (configured != null) {
      RawFrameSink sink = openConfigured(session, done);
      if (sink != null) {
        direct.increment();
        return sink;
      }
    }
    if (reflectionAllowed) {
      RawFrameSink sink = TyrusRawFrameSink.create(session, done);
      if (sink != null) {
        reflected.increment();
        return sink;
      }
    }
    sendText.increment();
    report(session);
    return null;
  }

  private RawFrameSink openConfigured(Session session, Transport.WriteCallback done) {
    try {
      return configured.open(session, done);
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "raw frame sink provider failed for session " + session.getId(), e);
      return null;
    }
  }

  private void report(Session session) {
    if (!reported.compareAndSet(false, true)) {
      return;
    }
    boolean fastExpected = configured != null || TYRUS;
    String why;
    if (!session.getNegotiatedExtensions().isEmpty()) {
      why =
          "an extension was negotiated ("
              + session.getNegotiatedExtensions().get(0).getName()
              + ")";
    } else if (TYRUS && !reflectionAllowed) {
      why = TYRUS_RAW_FRAMES_PROPERTY + "=false";
    } else if (fastExpected) {
      why = "neither the server's own writer nor Tyrus' (by reflection) could be reached";
    } else {
      why = "this container has no raw frame path";
    }
    LOG.log(
        fastExpected ? Level.WARNING : Level.INFO,
        "WebSocket session "
            + session.getId()
            + " sends with sendText, encoding and framing every message once per recipient: "
            + why
            + ". Later sessions on this path are counted (sendTextSessions) but not logged.");
  }

  long directSessions() {
    return direct.sum();
  }

  long reflectedSessions() {
    return reflected.sum();
  }

  long sendTextSessions() {
    return sendText.sum();
  }

  private static boolean tyrusPresent() {
    try {
      Class.forName(
          "org.glassfish.tyrus.core.TyrusRemoteEndpoint", false, SendPaths.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }
}
