package dev.roomcast.jakarta;

import dev.roomcast.AccessDeniedException;
import dev.roomcast.HandshakeRequest;
import dev.roomcast.Hub;
import dev.roomcast.Identity;
import dev.roomcast.JoinRejectedException;
import dev.roomcast.RoomAuthorizer;
import dev.roomcast.RoomNames;
import jakarta.websocket.HandshakeResponse;
import jakarta.websocket.server.ServerEndpointConfig;
import java.io.ByteArrayOutputStream;
import java.lang.reflect.Method;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * What happens at a WebSocket handshake, before the session opens: the room is taken from the raw
 * request path and decoded strictly, the hub's {@link dev.roomcast.Authenticator} decides who the
 * caller is and its {@link RoomAuthorizer} whether they may join. The outcome is left in the
 * session's user properties for {@link RoomcastEndpoint#onOpen}: the room and the identity, or the
 * refusal.
 *
 * <p>A refusal is answered with its HTTP status at the handshake where the container allows it (see
 * {@link HandshakeRefusals}) and the deployment asks for it; otherwise the endpoint closes the
 * session right after it opens, with the refusal's close code (1008) and message, before any room
 * work.
 *
 * <p>Stateless and thread-safe apart from the hub it calls.
 */
final class HandshakeGate {
  /** User property: the validated room name ({@code String}). */
  static final String ROOM = "dev.roomcast.jakarta.room";

  /** User property: the caller's {@link Identity}. */
  static final String IDENTITY = "dev.roomcast.jakarta.identity";

  /** User property: the {@link JoinRejectedException} to close the session with. */
  static final String REFUSAL = "dev.roomcast.jakarta.refusal";

  private static final Logger LOG = Logger.getLogger(RoomcastEndpoint.class.getName());

  private final RoomcastDeployment deployment;
  private final boolean roomInPath;

  /**
   * @param roomInPath whether the endpoint's path ends in the {@code {room}} template (otherwise it
   *     is the bare path: room {@code default})
   */
  HandshakeGate(RoomcastDeployment deployment, boolean roomInPath) {
    this.deployment = deployment;
    this.roomInPath = roomInPath;
  }

  boolean checkOrigin(String origin) {
    boolean allowed = deployment.config().originAllowed(origin);
    if (!allowed) {
      LOG.log(Level.FINE, () -> "handshake refused: origin not allowed: " + origin);
    }
    return allowed;
  }

  void modifyHandshake(
      ServerEndpointConfig sec,
      jakarta.websocket.server.HandshakeRequest request,
      HandshakeResponse response) {
    Map<String, Object> props = sec.getUserProperties();
    props.remove(ROOM);
    props.remove(IDENTITY);
    props.remove(REFUSAL);
    Hub hub = deployment.hub();
    try {
      String room = RoomNames.require(roomInPath ? roomOf(request.getRequestURI()) : "");
      HandshakeRequest handshake =
          HandshakeRequest.of(
                  room,
                  nonNull(request.getHeaders()),
                  nonNull(request.getParameterMap()),
                  remoteAddress(request))
              .withPrincipal(request.getUserPrincipal());
      Identity identity = hub.authenticate(handshake);
      if (!hub.allows(identity, room, RoomAuthorizer.Action.JOIN)) {
        throw new AccessDeniedException("not allowed to join this room");
      }
      props.put(ROOM, room);
      props.put(IDENTITY, identity);
    } catch (JoinRejectedException e) {
      LOG.log(
          Level.FINE,
          () ->
              "handshake refused for "
                  + request.getRequestURI().getRawPath()
                  + ": "
                  + e.httpStatus()
                  + " "
                  + e.getMessage());
      if (deployment.config().refuseAtHandshake()) {
        HandshakeRefusals.refuse(response, e.httpStatus()); // throws where the container can
      }
      props.put(REFUSAL, e);
    }
  }

  /**
   * The room: the last segment of the raw request path (the container matched the path to {@code
   * base/{room}}, so that is the template's segment, after any servlet context path),
   * percent-decoded as UTF-8. Anything that does not decode cleanly (bad escapes, invalid or
   * overlong UTF-8), an empty segment, and an encoded {@code /} all yield a name {@link RoomNames}
   * refuses.
   */
  static String roomOf(URI uri) {
    String raw = uri == null ? null : uri.getRawPath();
    if (raw == null) {
      return INVALID;
    }
    String decoded = decodeStrict(raw.substring(raw.lastIndexOf('/') + 1));
    return decoded == null || decoded.isEmpty() ? INVALID : decoded;
  }

  /** Not a room name: refused by {@link RoomNames#require}. */
  private static final String INVALID = "\u0000";

  /** Percent-decodes one path segment as strict UTF-8; {@code null} when malformed. */
  static String decodeStrict(String segment) {
    if (segment.indexOf('%') < 0) {
      return segment;
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(segment.length());
    for (int i = 0; i < segment.length(); i++) {
      char c = segment.charAt(i);
      if (c == '%') {
        if (i + 2 >= segment.length()) {
          return null;
        }
        int hi = Character.digit(segment.charAt(i + 1), 16);
        int lo = Character.digit(segment.charAt(i + 2), 16);
        if (hi < 0 || lo < 0) {
          return null;
        }
        bytes.write(hi * 16 + lo);
        i += 2;
      } else if (c < 0x80) {
        bytes.write(c);
      } else {
        return null; // raw non-ASCII in a request line is not a valid URI
      }
    }
    try {
      // REPORT, not the default REPLACE: overlong forms and invalid bytes fail instead of turning
      // into U+FFFD (which the name rule would refuse anyway, but silently)
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes.toByteArray()))
          .toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }

  private static Map<String, List<String>> nonNull(Map<String, List<String>> m) {
    return m == null ? Map.of() : m;
  }

  /**
   * The peer address, where the container tells: Tyrus' request object has a public {@code
   * getRemoteAddr()}; the standard API has nothing.
   */
  private static String remoteAddress(jakarta.websocket.server.HandshakeRequest request) {
    try {
      Method m = request.getClass().getMethod("getRemoteAddr");
      Object v = m.invoke(request);
      return v == null ? null : v.toString();
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null;
    }
  }
}
