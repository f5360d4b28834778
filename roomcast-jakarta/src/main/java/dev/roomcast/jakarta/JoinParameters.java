package dev.roomcast.jakarta;

import dev.roomcast.CloseCodes;
import dev.roomcast.JoinRejectedException;
import dev.roomcast.JoinRequest;
import dev.roomcast.StreamPosition;
import java.util.List;
import java.util.Map;

/**
 * Turns a WebSocket handshake's room path parameter and query ({@code ?since=<offset>&epoch=
 * <epoch>} to resume, {@code resume_token=<token>} to keep a client id, {@code ?history=<n>} for
 * recent messages on a fresh join) into a {@link JoinRequest}. Room names are checked by the hub;
 * this checks the resume parameters.
 */
public final class JoinParameters {
  /** Query parameter: the last offset the client saw. */
  public static final String SINCE = "since";

  /** Query parameter: the epoch of that offset. */
  public static final String EPOCH = "epoch";

  /** Query parameter: the {@code resume_token} of an earlier welcome, to keep that client id. */
  public static final String RESUME_TOKEN = "resume_token";

  /** Query parameter: {@code presence=diff} asks for presence frames instead of text notices. */
  public static final String PRESENCE = "presence";

  /** Query parameter: how many recent messages a fresh join wants after its welcome. */
  public static final String HISTORY = "history";

  private static final int MAX_EPOCH_LENGTH = 128;

  private JoinParameters() {}

  /**
   * Builds the join request.
   *
   * @param room the room path parameter, or {@code null}/empty for the bare path (room {@code
   *     default})
   * @param query the decoded query parameters (as {@code Session.getRequestParameterMap()})
   * @return the request, resuming when both {@code since} and {@code epoch} are given
   * @throws JoinRejectedException with close code 1008 and HTTP 400 when the resume parameters are
   *     malformed, repeated, or only one of them is given
   */
  public static JoinRequest parse(String room, Map<String, List<String>> query) {
    JoinRequest request = JoinRequest.to(room == null ? "" : room);
    String history = single(query, HISTORY);
    if (history != null) {
      request = request.withHistory(parseHistory(history));
    }
    String presence = single(query, PRESENCE);
    if (presence != null) {
      if (!presence.equals("diff")) {
        throw bad("invalid 'presence': the only value is 'diff'");
      }
      request = request.withPresenceDiffs();
    }
    String token = single(query, RESUME_TOKEN);
    if (token != null && !token.isEmpty()) {
      if (token.length() > 1024) {
        throw bad("invalid 'resume_token': too long");
      }
      request = request.withResumeToken(token);
    }
    String since = single(query, SINCE);
    String epoch = single(query, EPOCH);
    if (since == null && epoch == null) {
      return request;
    }
    if (since == null || epoch == null) {
      throw bad("resume needs both 'since' and 'epoch' query parameters");
    }
    long offset;
    try {
      offset = StreamPosition.parseOffset(since);
    } catch (IllegalArgumentException e) {
      throw bad("invalid 'since': must be a non-negative integer offset");
    }
    if (epoch.isEmpty() || epoch.length() > MAX_EPOCH_LENGTH || !printableAscii(epoch)) {
      throw bad("invalid 'epoch': must be 1-128 printable ASCII characters");
    }
    return request.resumingFrom(new StreamPosition(epoch, offset));
  }

  private static int parseHistory(String value) {
    if (value.isEmpty() || value.length() > 5 || !value.chars().allMatch(Character::isDigit)) {
      throw bad("invalid 'history': must be a whole number of messages, 0-10000");
    }
    int n = Integer.parseInt(value);
    if (n > 10_000) {
      throw bad("invalid 'history': must be a whole number of messages, 0-10000");
    }
    return n;
  }

  private static String single(Map<String, List<String>> query, String name) {
    if (query == null) {
      return null;
    }
    List<String> values = query.get(name);
    if (values == null || values.isEmpty()) {
      return null;
    }
    if (values.size() > 1) {
      throw bad("query parameter '" + name + "' given more than once");
    }
    return values.get(0);
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
