package dev.roomcast.bench.floor;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * The few JSON shapes the floor reads and writes. The client's {@code content} is copied into the
 * broadcast as raw bytes (no parse into a tree and back): the floor's job is to show the cost of
 * the writes, not of a JSON library.
 */
final class RoomJson {
  private RoomJson() {}

  /** The welcome every new member gets; {@code client_id} is what the harness waits for. */
  static byte[] welcome(String room, String clientId) {
    String r = quote(room);
    return ("{\"type\":\"system\",\"message\":\"Welcome to room "
            + r.substring(1, r.length() - 1)
            + ". You are "
            + clientId
            + ".\",\"client_id\":\""
            + clientId
            + "\",\"room\":"
            + r
            + ",\"timestamp\":\""
            + Instant.now()
            + "\"}")
        .getBytes(StandardCharsets.UTF_8);
  }

  /**
   * The broadcast of {@code content} (raw JSON bytes) from {@code clientId}, in the field order of
   * the seed protocol.
   */
  static byte[] message(String clientId, byte[] content, String room) {
    ByteArrayOutputStream b = new ByteArrayOutputStream(content.length + 128);
    b.writeBytes(
        ("{\"type\":\"message\",\"client_id\":\"" + clientId + "\",\"content\":")
            .getBytes(StandardCharsets.UTF_8));
    b.writeBytes(content);
    b.writeBytes(
        (",\"timestamp\":\"" + Instant.now() + "\",\"room\":" + quote(room) + "}")
            .getBytes(StandardCharsets.UTF_8));
    return b.toByteArray();
  }

  /**
   * The raw bytes of the top-level {@code content} value of a client frame, or null when the frame
   * is not a JSON object with one.
   */
  static byte[] content(byte[] json) {
    int i = skipWs(json, 0);
    if (i >= json.length || json[i] != '{') {
      return null;
    }
    i = skipWs(json, i + 1);
    while (i < json.length && json[i] == '"') {
      int keyEnd = skipValue(json, i);
      boolean isContent =
          keyEnd - i == 9 && new String(json, i + 1, 7, StandardCharsets.UTF_8).equals("content");
      int colon = skipWs(json, keyEnd);
      if (colon >= json.length || json[colon] != ':') {
        return null;
      }
      int v = skipWs(json, colon + 1);
      int vEnd = skipValue(json, v);
      if (vEnd < 0 || vEnd > json.length) {
        return null;
      }
      if (isContent) {
        byte[] out = new byte[vEnd - v];
        System.arraycopy(json, v, out, 0, out.length);
        return out;
      }
      i = skipWs(json, vEnd);
      if (i < json.length && json[i] == ',') {
        i = skipWs(json, i + 1);
      } else {
        return null;
      }
    }
    return null;
  }

  /** Index just past the JSON value starting at {@code i}, or -1 when it is cut off or empty. */
  private static int skipValue(byte[] s, int i) {
    if (i >= s.length) {
      return -1;
    }
    int depth = 0;
    boolean inString = false;
    int start = i;
    for (; i < s.length; i++) {
      byte c = s[i];
      if (inString) {
        if (c == '\\') {
          i++;
        } else if (c == '"') {
          inString = false;
          if (depth == 0) {
            return i + 1;
          }
        }
      } else if (c == '"') {
        inString = true;
      } else if (c == '{' || c == '[') {
        depth++;
      } else if (c == '}' || c == ']') {
        if (depth == 0) {
          return i == start ? -1 : i; // end of the enclosing object: a bare literal ended here
        }
        if (--depth == 0) {
          return i + 1;
        }
      } else if (depth == 0 && (c == ',' || c <= ' ')) {
        return i == start ? -1 : i;
      }
    }
    return -1;
  }

  private static int skipWs(byte[] s, int i) {
    while (i < s.length && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r')) {
      i++;
    }
    return i;
  }

  /** {@code s} as a JSON string literal. */
  static String quote(String s) {
    StringBuilder b = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"' || c == '\\') {
        b.append('\\').append(c);
      } else if (c < 0x20) {
        b.append(String.format("\\u%04x", (int) c));
      } else {
        b.append(c);
      }
    }
    return b.append('"').toString();
  }
}
