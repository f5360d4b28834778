package dev.roomcast.jakarta.sse;

import dev.roomcast.CloseCodes;
import dev.roomcast.HandshakeRequest;
import dev.roomcast.Hub;
import dev.roomcast.Identity;
import dev.roomcast.JoinRejectedException;
import dev.roomcast.JoinRequest;
import dev.roomcast.StreamPosition;
import dev.roomcast.jakarta.JoinParameters;
import java.util.List;
import java.util.Map;

/**
 * Turns an SSE request into a receive-only {@link JoinRequest}: the room, who is asking (through
 * {@link Hub#authenticate}), and where to resume from.
 *
 * <p>Resume position: the {@code Last-Event-ID} header ({@code <epoch>:<offset>}, what a browser's
 * {@code EventSource} sends back when it reconnects) takes precedence over the query parameters
 * {@code ?since=<offset>&epoch=<epoch>} (what a page uses to open a new {@code EventSource} where
 * an old one stopped). An empty {@code Last-Event-ID} counts as absent.
 *
 * <p>Stateless and thread-safe.
 */
public final class SseRequests {
  /** The header a reconnecting {@code EventSource} sends. */
  public static final String LAST_EVENT_ID = "Last-Event-ID";

  private static final int MAX_EPOCH_LENGTH = 128;

  private SseRequests() {}

  /**
   * Authenticates and builds the join request.
   *
   * @param hub the hub whose {@link dev.roomcast.Authenticator} decides who this is
   * @param handshake the request: room (URL-decoded), headers, query parameters
   * @throws JoinRejectedException with {@link JoinRejectedException#httpStatus()} 401 when
   *     authentication fails, 400 when the resume position is malformed; the message is safe to
   *     show to the client
   */
  public static JoinRequest join(Hub hub, HandshakeRequest handshake) {
    Identity who = hub.authenticate(handshake);
    return parse(handshake.room(), handshake.header(LAST_EVENT_ID), handshake.query())
        .as(who)
        .receiveOnly();
  }

  /**
   * Builds an anonymous, receive-only join request from the room, the {@code Last-Event-ID} header
   * and the query parameters. The room name is checked by the hub when joining.
   *
   * @param room the room, URL-decoded
   * @param lastEventId the {@code Last-Event-ID} header, or {@code null}
   * @param query decoded query parameters
   * @throws JoinRejectedException with HTTP status 400 when the position is malformed
   */
  public static JoinRequest parse(
      String room, String lastEventId, Map<String, List<String>> query) {
    if (lastEventId != null && !lastEventId.isBlank()) {
      return JoinRequest.to(room == null ? "" : room)
          .resumingFrom(parseLastEventId(lastEventId.trim()))
          .receiveOnly();
    }
    return JoinParameters.parse(room, query).receiveOnly();
  }

  /**
   * Parses {@code <epoch>:<offset>} as the position to resume after.
   *
   * @throws JoinRejectedException with HTTP status 400 when malformed
   */
  public static StreamPosition parseLastEventId(String id) {
    StreamPosition p;
    try {
      p = StreamPosition.parseEventId(id);
    } catch (IllegalArgumentException e) {
      throw bad("invalid Last-Event-ID: must be <epoch>:<offset>");
    }
    String epoch = p.epoch();
    if (epoch.length() > MAX_EPOCH_LENGTH || !printableAscii(epoch)) {
      throw bad("invalid Last-Event-ID: the epoch must be 1-128 printable ASCII characters");
    }
    return p;
  }

  private static boolean printableAscii(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x21 || c > 0x7e) {
        return false;
      }
    }
    return true;
  }

  private static JoinRejectedException bad(String message) {
    return new JoinRejectedException(CloseCodes.POLICY_VIOLATION, 400, message);
  }
}
