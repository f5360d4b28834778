package dev.roomcast.jakarta;

import dev.roomcast.CloseCodes;
import dev.roomcast.Connection;
import dev.roomcast.Hub;
import dev.roomcast.Identity;
import dev.roomcast.JoinRejectedException;
import dev.roomcast.JoinRequest;
import jakarta.websocket.CloseReason;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.MessageHandler;
import jakarta.websocket.PongMessage;
import jakarta.websocket.Session;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The server endpoint for one WebSocket session: joins the hub on open, feeds it inbound frames,
 * keeps the connection alive with pings, and tells the hub when the session closed.
 *
 * <p>Lifecycle: the deployment's configurator has checked the origin, the room name and the caller
 * at the handshake ({@link HandshakeGate}); {@link #onOpen} parses the resume parameters and joins
 * as the identity found there. A refusal the container could not answer with an HTTP status, and a
 * refused join (draining 1012, full 1013, bad resume parameters 1008), close the session right
 * after the handshake with the refusal's code and reason, before any room work. Text frames go to
 * {@link Connection#receiveText} (invalid JSON gets an {@code error} frame; larger than {@code
 * Limits.maxMessageBytes()} closes with 1009), binary frames are refused with 1003. {@link
 * #onClose} leaves the room. One instance per session, created by the deployment's configurator.
 */
public final class RoomcastEndpoint extends Endpoint {
  /** The path parameter naming the room. */
  public static final String ROOM_PARAM = "room";

  private static final Logger LOG = Logger.getLogger(RoomcastEndpoint.class.getName());

  private final RoomcastDeployment deployment;
  private volatile Connection connection;
  private volatile Keepalive keepalive;

  RoomcastEndpoint(RoomcastDeployment deployment) {
    this.deployment = deployment;
  }

  @Override
  public void onOpen(Session session, EndpointConfig config) {
    deployment.sessionOpened();
    Hub hub = deployment.hub();
    int max = hub.limits().maxMessageBytes();
    // The container refuses (1009) what it would have to buffer beyond the limit; the hub checks
    // the exact UTF-8 size again.
    session.setMaxTextMessageBufferSize(max);
    session.setMaxBinaryMessageBufferSize(max);
    session.setMaxIdleTimeout(0); // liveness is the keepalive's job, not an idle timer's

    Map<String, Object> props = config.getUserProperties();
    Object refusal = props.get(HandshakeGate.REFUSAL);
    if (refusal instanceof JoinRejectedException) {
      // refused at the handshake where the container could not say so with an HTTP status
      JoinRejectedException e = (JoinRejectedException) refusal;
      refuseAfterOpen(session, e.closeCode(), e.getMessage());
      return;
    }
    Object room = props.get(HandshakeGate.ROOM);
    Object identity = props.get(HandshakeGate.IDENTITY);
    if (!(room instanceof String) || !(identity instanceof Identity)) {
      // The configurator did not run: never let a session in unauthenticated.
      LOG.warning("session " + session.getId() + " opened without roomcast's handshake check");
      refuseAfterOpen(session, CloseCodes.SERVER_ERROR, "server error");
      return;
    }

    Connection joined;
    try {
      JoinRequest request =
          JoinParameters.parse((String) room, session.getRequestParameterMap())
              .as((Identity) identity);
      joined =
          hub.join(
              request,
              new SessionTransport(session, deployment.scheduler(), deployment.sendPaths()));
    } catch (JoinRejectedException e) {
      LOG.log(
          Level.FINE,
          () -> "session " + session.getId() + " refused: " + e.closeCode() + " " + e.getMessage());
      refuseAfterOpen(session, e.closeCode(), e.getMessage());
      return;
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "join failed for session " + session.getId(), e);
      refuseAfterOpen(session, CloseCodes.SERVER_ERROR, "server error");
      return;
    }
    connection = joined;
    LOG.log(
        Level.FINE,
        () ->
            "session " + session.getId() + " joined " + joined.room() + " as " + joined.clientId());

    try {
      session.addMessageHandler(String.class, (MessageHandler.Whole<String>) this::onText);
      session.addMessageHandler(
          ByteBuffer.class, (MessageHandler.Partial<ByteBuffer>) (data, last) -> onBinary());
      RoomcastEndpointConfig settings = deployment.config();
      if (settings.keepaliveEnabled()) {
        Keepalive k =
            new Keepalive(
                deployment.scheduler(),
                deployment.pingSender(),
                session.getAsyncRemote(),
                settings.pingInterval(),
                settings.pongTimeout(),
                () -> onKeepaliveTimeout(session));
        session.addMessageHandler(
            PongMessage.class, (MessageHandler.Whole<PongMessage>) pong -> k.pongReceived());
        keepalive = k;
        k.start();
      }
    } catch (IllegalStateException e) {
      // The peer went away while we were setting up (Tyrus: "The connection has been closed."):
      // routine for clients that connect and vanish, so no warning; just leave the room.
      LOG.log(Level.FINE, () -> "session " + session.getId() + " closed during setup: " + e);
      joined.transportClosed();
      stopKeepalive();
      return;
    }
    if (!session.isOpen()) {
      // closed while we were setting up (onClose may have run before connection was set)
      joined.transportClosed();
      stopKeepalive();
    }
  }

  private void onText(String text) {
    Connection c = connection;
    if (c == null) {
      return;
    }
    try {
      c.receiveText(text);
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "inbound frame failed for " + c.clientId(), e);
      c.close(CloseCodes.SERVER_ERROR, "server error");
    }
  }

  private void onBinary() {
    Connection c = connection;
    if (c != null) {
      c.receiveBinary();
    }
  }

  private void onKeepaliveTimeout(Session session) {
    long timeoutSeconds = deployment.config().pongTimeout().toSeconds();
    String reason = "keepalive timeout: no pong within " + Math.max(1, timeoutSeconds) + " s";
    LOG.log(Level.FINE, () -> "session " + session.getId() + " " + reason);
    Connection c = connection;
    if (c != null) {
      c.close(CloseCodes.KEEPALIVE_TIMEOUT, reason);
    } else {
      closeSession(session, CloseCodes.KEEPALIVE_TIMEOUT, reason);
    }
  }

  @Override
  public void onClose(Session session, CloseReason closeReason) {
    deployment.sessionClosed();
    stopKeepalive();
    Connection c = connection;
    if (c != null) {
      c.transportClosed();
      LOG.log(
          Level.FINE,
          () ->
              "session "
                  + session.getId()
                  + " ("
                  + c.clientId()
                  + ") closed: "
                  + closeReason.getCloseCode().getCode()
                  + " "
                  + closeReason.getReasonPhrase());
    }
  }

  @Override
  public void onError(Session session, Throwable failure) {
    Level level = failure instanceof IOException ? Level.FINE : Level.WARNING;
    LOG.log(level, "WebSocket error on session " + session.getId(), failure);
  }

  private void stopKeepalive() {
    Keepalive k = keepalive;
    if (k != null) {
      k.stop();
    }
  }

  /**
   * Closes a session refused in {@code onOpen}. The close runs after {@code onOpen} has returned
   * (on the deployment's scheduler): a close issued from inside {@code onOpen} was occasionally
   * never sent by Tyrus, leaving the refused client open.
   */
  private void refuseAfterOpen(Session session, int code, String reason) {
    try {
      deployment.scheduler().execute(() -> closeSession(session, code, reason));
    } catch (java.util.concurrent.RejectedExecutionException e) {
      closeSession(session, code, reason); // deployment closed: close here rather than never
    }
  }

  private void closeSession(Session session, int code, String reason) {
    SessionTransport.closeWithin(session, code, reason, deployment.scheduler());
  }
}
