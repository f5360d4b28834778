package dev.roomcast.redis;

import dev.roomcast.spi.RoomMessage;
import dev.roomcast.spi.RoomNotice;
import java.nio.charset.StandardCharsets;

/**
 * Key names and the compact payload format, shared by the Lua scripts and the Java side.
 *
 * <p>Per room (with the default prefix {@code roomcast:} and room {@code lobby}):
 *
 * <ul>
 *   <li>{@code roomcast:{lobby}} — the pub/sub channel;
 *   <li>{@code roomcast:{lobby}:meta} — a hash with {@code epoch} and {@code head} (last offset);
 *   <li>{@code roomcast:{lobby}:log} — the stream, one entry per message, entry id {@code
 *       <offset>-0}, fields {@code h} (header) and {@code c} (content).
 * </ul>
 *
 * The braces are a Redis Cluster hash tag, so a room's keys share a slot. Room names never contain
 * braces (see {@link dev.roomcast.RoomNames}). Each node also listens on {@code
 * roomcast:node:<nodeId>}, a control channel that keeps its subscriber connection in subscribed
 * mode while it serves no room and carries the node's own delivery probes ({@code p \n nodeId \n
 * seq}).
 *
 * <p>Payloads are newline-separated fields. The header is {@code origin \n clientId \n timestamp},
 * each field escaped ({@code \} to {@code \\}, newline to {@code \n}) so it has no raw newline:
 *
 * <ul>
 *   <li>message: {@code m \n epoch \n offset \n header \n content} (the script builds it, content
 *       is last and taken verbatim);
 *   <li>notice: {@code n \n J|L \n header}.
 * </ul>
 */
final class Wire {
  private final String prefix;

  Wire(String prefix) {
    this.prefix = prefix;
  }

  String channel(String room) {
    return prefix + "{" + room + "}";
  }

  String metaKey(String room) {
    return channel(room) + ":meta";
  }

  String logKey(String room) {
    return channel(room) + ":log";
  }

  String controlChannel(String nodeId) {
    return prefix + "node:" + nodeId;
  }

  /**
   * A Cluster link's probe channel: the control channel's name with a hash tag, so it can be put in
   * a slot the link's server owns ({@code roomcast:node:{<tag>}:<nodeId>}). Never a room channel.
   */
  String probeChannel(String nodeId, String tag) {
    return prefix + "node:{" + tag + "}:" + nodeId;
  }

  /** The room of a room channel, or {@code null} for any other channel. */
  String roomOf(String channel) {
    int len = channel.length();
    if (len < prefix.length() + 3
        || !channel.startsWith(prefix)
        || channel.charAt(prefix.length()) != '{'
        || channel.charAt(len - 1) != '}') {
      return null;
    }
    return channel.substring(prefix.length() + 1, len - 1);
  }

  /** The header of a message: origin, client id and timestamp, escaped. */
  static String header(String originNode, String clientId, String timestamp) {
    StringBuilder sb =
        new StringBuilder(originNode.length() + clientId.length() + timestamp.length() + 2);
    escape(sb, originNode);
    sb.append('\n');
    escape(sb, clientId);
    sb.append('\n');
    escape(sb, timestamp);
    return sb.toString();
  }

  /**
   * The sender's identity, {@code user \n name} escaped ({@code ""} for a missing one), or {@code
   * ""} for an anonymous sender.
   */
  static String identity(String user, String name) {
    if (user == null && name == null) {
      return "";
    }
    StringBuilder sb = new StringBuilder(32);
    escape(sb, user == null ? "" : user);
    sb.append('\n');
    escape(sb, name == null ? "" : name);
    return sb.toString();
  }

  /** The {@code [user, name]} of an {@link #identity}, {@code null} where empty. */
  static String[] parseIdentity(String identity) {
    Cursor c = new Cursor(identity);
    String user = c.field();
    String name = unescape(c.rest());
    return new String[] {user.isEmpty() ? null : user, name.isEmpty() ? null : name};
  }

  static String notice(RoomNotice n) {
    StringBuilder sb = new StringBuilder(64);
    String who = identity(n.user(), n.name());
    sb.append(who.isEmpty() ? "n\n" : "N\n");
    sb.append(n.kind() == RoomNotice.Kind.JOIN ? 'J' : 'L').append('\n');
    sb.append(header(n.originNode(), n.clientId(), n.timestamp()));
    if (!who.isEmpty()) {
      sb.append('\n').append(who);
    }
    return sb.toString();
  }

  /** What arrived on a room channel. */
  sealed interface Payload permits MessagePayload, NoticePayload {
    String origin();
  }

  record MessagePayload(
      String epoch,
      long offset,
      String origin,
      String clientId,
      String timestamp,
      String user,
      String name,
      String content)
      implements Payload {
    RoomMessage toMessage(String room) {
      return new RoomMessage(room, epoch, offset, clientId, content, timestamp, origin, user, name);
    }
  }

  record NoticePayload(
      RoomNotice.Kind kind,
      String origin,
      String clientId,
      String timestamp,
      String user,
      String name)
      implements Payload {
    RoomNotice toNotice(String room) {
      return new RoomNotice(room, kind, clientId, timestamp, origin, user, name);
    }
  }

  /**
   * Parses a channel payload.
   *
   * @throws IllegalArgumentException when it is not one of ours
   */
  static Payload parse(String payload) {
    Cursor c = new Cursor(payload);
    String type = c.raw();
    if (type.equals("m") || type.equals("M")) {
      String epoch = c.raw();
      long offset = parseOffset(c.raw());
      String origin = c.field();
      String clientId = c.field();
      String timestamp = c.field();
      String user = null;
      String name = null;
      if (type.equals("M")) {
        String u = c.field();
        String n = c.field();
        user = u.isEmpty() ? null : u;
        name = n.isEmpty() ? null : n;
      }
      return new MessagePayload(epoch, offset, origin, clientId, timestamp, user, name, c.rest());
    }
    if (type.equals("n") || type.equals("N")) {
      String k = c.raw();
      RoomNotice.Kind kind;
      if (k.equals("J")) {
        kind = RoomNotice.Kind.JOIN;
      } else if (k.equals("L")) {
        kind = RoomNotice.Kind.LEAVE;
      } else {
        throw new IllegalArgumentException("unknown notice kind " + k);
      }
      String origin = c.field();
      String clientId = c.field();
      if (type.equals("N")) {
        String timestamp = c.field();
        String u = c.field();
        String n = unescape(c.rest());
        return new NoticePayload(
            kind, origin, clientId, timestamp, u.isEmpty() ? null : u, n.isEmpty() ? null : n);
      }
      String timestamp = c.rest();
      return new NoticePayload(kind, origin, clientId, unescape(timestamp), null, null);
    }
    throw new IllegalArgumentException("unknown payload type");
  }

  /** Parses a stream entry header into its three fields (origin, clientId, timestamp). */
  static String[] parseHeader(String header) {
    Cursor c = new Cursor(header);
    String origin = c.field();
    String clientId = c.field();
    String timestamp = unescape(c.rest());
    return new String[] {origin, clientId, timestamp};
  }

  /** A delivery probe on a node's control channel: {@code p \n nodeId \n seq}. */
  static String probe(String nodeId, long seq) {
    return "p\n" + nodeId + "\n" + seq;
  }

  /** The sequence number of a probe from {@code nodeId}, or 0 for anything else. */
  static long probeSeq(String payload, String nodeId) {
    String prefix = "p\n" + nodeId + "\n";
    if (!payload.startsWith(prefix)) {
      return 0;
    }
    try {
      return Long.parseLong(payload.substring(prefix.length()));
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  /** A bulk-string reply (Jedis hands them out as {@code byte[]}) as text. */
  static String text(Object reply) {
    if (reply instanceof byte[]) {
      return new String((byte[]) reply, StandardCharsets.UTF_8);
    }
    return String.valueOf(reply);
  }

  /** Parses a stream entry id {@code <offset>-0} into the offset. */
  static long offsetOfId(String id) {
    int dash = id.indexOf('-');
    return parseOffset(dash < 0 ? id : id.substring(0, dash));
  }

  private static long parseOffset(String s) {
    long v = Long.parseLong(s);
    if (v < 1) {
      throw new IllegalArgumentException("offset must be >= 1");
    }
    return v;
  }

  static void escape(StringBuilder sb, String s) {
    for (int i = 0; i < s.length(); i++) {
      char ch = s.charAt(i);
      if (ch == '\\') {
        sb.append("\\\\");
      } else if (ch == '\n') {
        sb.append("\\n");
      } else {
        sb.append(ch);
      }
    }
  }

  static String unescape(String s) {
    if (s.indexOf('\\') < 0) {
      return s;
    }
    StringBuilder sb = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char ch = s.charAt(i);
      if (ch == '\\' && i + 1 < s.length()) {
        char next = s.charAt(++i);
        sb.append(next == 'n' ? '\n' : next);
      } else {
        sb.append(ch);
      }
    }
    return sb.toString();
  }

  /** Walks newline-separated fields. */
  private static final class Cursor {
    private final String s;
    private int pos;

    Cursor(String s) {
      this.s = s;
    }

    String raw() {
      int nl = s.indexOf('\n', pos);
      if (nl < 0) {
        throw new IllegalArgumentException("truncated payload");
      }
      String f = s.substring(pos, nl);
      pos = nl + 1;
      return f;
    }

    String field() {
      return unescape(raw());
    }

    String rest() {
      String r = s.substring(pos);
      pos = s.length();
      return r;
    }
  }
}
