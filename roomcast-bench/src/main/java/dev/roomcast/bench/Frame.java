package dev.roomcast.bench;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;

/**
 * What the harness needs to know about one server-to-client text frame.
 *
 * <p>Parsing uses Jackson's streaming parser rather than a tree model: at 50k+ deliveries a second
 * the harness shares two cores with the server under test, so per-frame cost matters. Unknown
 * fields (roomcast's {@code offset}, {@code epoch}, {@code room}, ...) are skipped, which keeps the
 * harness valid against every server speaking the seed protocol.
 *
 * @param kind frame type
 * @param welcome true for the server's welcome to this connection
 * @param tag run tag from our content ({@code r}), or -1 if absent
 * @param seq publish sequence number from our content ({@code s}), or -1
 * @param sentMicros intended send time from our content ({@code t}, {@link Clock} micros, may be
 *     negative), or {@link #NO_TIME}
 */
public record Frame(Kind kind, boolean welcome, long tag, long seq, long sentMicros) {

  /** The {@code type} field of a frame. */
  public enum Kind {
    /** A room broadcast: {@code "type":"message"}. */
    MESSAGE,
    /** Welcome, join and leave notices: {@code "type":"system"}. */
    SYSTEM,
    /** {@code "type":"error"}. */
    ERROR,
    /** Anything else, including unparsable text. */
    OTHER
  }

  /** {@link #sentMicros()} when the frame carries no timestamp. */
  public static final long NO_TIME = Long.MIN_VALUE;

  private static final JsonFactory JSON = new JsonFactory();

  /** Parses one complete text frame; never throws, malformed input yields {@link Kind#OTHER}. */
  public static Frame parse(String text) {
    Frame f = fastMessage(text);
    return f != null ? f : parseFully(text);
  }

  /**
   * Hand-rolled path for the one frame shape that dominates the load: a broadcast of our own
   * content. Returns null (so the caller falls back to Jackson) on anything unexpected; it only has
   * to be right, not general. Tolerates the whitespace Python's json.dumps puts after ':' and ','.
   */
  static Frame fastMessage(String s) {
    int v = valueAfterKey(s, "\"type\"", 0);
    if (v < 0 || !s.startsWith("\"message\"", v)) {
      return null;
    }
    int c = valueAfterKey(s, "\"content\"", v + 9);
    if (c < 0) {
      return null;
    }
    if (s.charAt(c) != '{') {
      return new Frame(Kind.MESSAGE, false, -1, -1, NO_TIME); // not a harness payload
    }
    long tag = -1;
    long seq = -1;
    long sent = NO_TIME;
    int i = skipWs(s, c + 1);
    while (i < s.length() && s.charAt(i) == '"') {
      int keyEnd = s.indexOf('"', i + 1);
      if (keyEnd < 0) {
        return null;
      }
      int colon = skipWs(s, keyEnd + 1);
      if (colon >= s.length() || s.charAt(colon) != ':') {
        return null;
      }
      int val = skipWs(s, colon + 1);
      if (val >= s.length()) {
        return null;
      }
      char ch = s.charAt(val);
      int next;
      if (ch == '-' || (ch >= '0' && ch <= '9')) {
        next = val + 1;
        while (next < s.length() && Character.isDigit(s.charAt(next))) {
          next++;
        }
        if (next < s.length() && (s.charAt(next) == '.' || s.charAt(next) == 'e')) {
          return null;
        }
        if (keyEnd == i + 2) {
          long n = Long.parseLong(s, val, next, 10);
          switch (s.charAt(i + 1)) {
            case 'r' -> tag = n;
            case 's' -> seq = n;
            case 't' -> sent = n;
            default -> {}
          }
        }
      } else if (ch == '"') {
        next = val + 1;
        while (next < s.length() && s.charAt(next) != '"') {
          if (s.charAt(next) == '\\') {
            next++;
          }
          next++;
        }
        next++;
      } else {
        return null; // nested value: let Jackson handle it
      }
      i = skipWs(s, next);
      if (i < s.length() && s.charAt(i) == ',') {
        i = skipWs(s, i + 1);
      } else if (i < s.length() && s.charAt(i) == '}') {
        return new Frame(Kind.MESSAGE, false, tag, seq, sent);
      } else {
        return null;
      }
    }
    return null;
  }

  /** Index of the first non-blank character after {@code key} and its colon, or -1. */
  private static int valueAfterKey(String s, String key, int from) {
    int k = s.indexOf(key, from);
    if (k < 0 || (k > 0 && s.charAt(k - 1) == '\\')) {
      return -1;
    }
    int colon = skipWs(s, k + key.length());
    if (colon >= s.length() || s.charAt(colon) != ':') {
      return -1;
    }
    int v = skipWs(s, colon + 1);
    return v < s.length() ? v : -1;
  }

  private static int skipWs(String s, int i) {
    while (i < s.length() && s.charAt(i) <= ' ') {
      i++;
    }
    return i;
  }

  /** The general path: Jackson's streaming parser, for system/error frames and odd shapes. */
  static Frame parseFully(String text) {
    Kind kind = Kind.OTHER;
    boolean hasClientId = false;
    String message = null;
    long tag = -1;
    long seq = -1;
    long sent = NO_TIME;
    try (JsonParser p = JSON.createParser(text)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return new Frame(Kind.OTHER, false, -1, -1, NO_TIME);
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken v = p.nextToken();
        switch (name) {
          case "type" -> kind = kindOf(v == JsonToken.VALUE_STRING ? p.getText() : null);
          case "message" -> message = v == JsonToken.VALUE_STRING ? p.getText() : null;
          case "client_id" -> hasClientId = v != JsonToken.VALUE_NULL;
          case "content" -> {
            if (v == JsonToken.START_OBJECT) {
              while (p.nextToken() == JsonToken.FIELD_NAME) {
                String f = p.currentName();
                JsonToken fv = p.nextToken();
                boolean num = fv == JsonToken.VALUE_NUMBER_INT;
                switch (f) {
                  case "r" -> tag = num ? p.getLongValue() : -1;
                  case "s" -> seq = num ? p.getLongValue() : -1;
                  case "t" -> sent = num ? p.getLongValue() : NO_TIME;
                  default -> p.skipChildren();
                }
              }
            } else {
              p.skipChildren();
            }
          }
          default -> p.skipChildren();
        }
      }
    } catch (IOException | RuntimeException e) {
      return new Frame(Kind.OTHER, false, -1, -1, NO_TIME);
    }
    return new Frame(kind, kind == Kind.SYSTEM && isWelcome(message, hasClientId), tag, seq, sent);
  }

  private static Kind kindOf(String type) {
    if (type == null) {
      return Kind.OTHER;
    }
    return switch (type) {
      case "message" -> Kind.MESSAGE;
      case "system" -> Kind.SYSTEM;
      case "error" -> Kind.ERROR;
      default -> Kind.OTHER;
    };
  }

  // The seed text is "Welcome to room X. You are user-N."; servers that reword it still carry
  // client_id on the welcome only (join/leave notices name the user inside the message text).
  private static boolean isWelcome(String message, boolean hasClientId) {
    if (message != null && message.startsWith("Welcome")) {
      return true;
    }
    return hasClientId
        && (message == null || !(message.contains(" joined") || message.contains(" left")));
  }

  /** Builds the client-to-server publish frame carrying the measurement stamp and padding. */
  public static String publish(long tag, long seq, long intendedMicros, String pad) {
    StringBuilder b = new StringBuilder(64 + pad.length());
    b.append("{\"content\":{\"r\":")
        .append(tag)
        .append(",\"s\":")
        .append(seq)
        .append(",\"t\":")
        .append(intendedMicros);
    if (!pad.isEmpty()) {
      b.append(",\"p\":\"").append(pad).append('"');
    }
    return b.append("}}").toString();
  }
}
