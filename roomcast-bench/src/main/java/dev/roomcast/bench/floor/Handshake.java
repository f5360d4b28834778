package dev.roomcast.bench.floor;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Locale;

/**
 * The HTTP side of the floor: one request head parsed into what the floor needs (target, WebSocket
 * key), and the responses it sends.
 *
 * @param target request target as sent (path and query)
 * @param webSocketKey {@code Sec-WebSocket-Key}, or null for a plain HTTP request
 */
record Handshake(String target, String webSocketKey) {
  private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

  /** Parses a complete request head (up to and including the blank line); null if malformed. */
  static Handshake parse(String head) {
    String[] lines = head.split("\r\n");
    String[] request = lines[0].split(" ");
    if (request.length != 3 || !request[0].equals("GET")) {
      return null;
    }
    String key = null;
    boolean upgrade = false;
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      if (colon <= 0) {
        continue;
      }
      String name = lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT);
      String value = lines[i].substring(colon + 1).trim();
      if (name.equals("sec-websocket-key")) {
        key = value;
      } else if (name.equals("upgrade")) {
        upgrade = value.equalsIgnoreCase("websocket");
      }
    }
    return new Handshake(request[1], upgrade ? key : null);
  }

  /** The room: the request target with edge slashes stripped, as node-ws and the peers do. */
  String room() {
    int from = 0;
    int to = target.length();
    while (from < to && target.charAt(from) == '/') {
      from++;
    }
    while (to > from && target.charAt(to - 1) == '/') {
      to--;
    }
    return target.substring(from, to);
  }

  /** The 101 response completing the upgrade. */
  byte[] switchingProtocols() {
    String accept;
    try {
      MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
      accept =
          Base64.getEncoder()
              .encodeToString(
                  sha1.digest((webSocketKey + GUID).getBytes(StandardCharsets.US_ASCII)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-1", e);
    }
    return ("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Accept: "
            + accept
            + "\r\n\r\n")
        .getBytes(StandardCharsets.US_ASCII);
  }

  /** A plain response that closes the connection: 200 for {@code /health}, else 404. */
  byte[] plainResponse() {
    boolean health = target.equals("/health");
    String body = health ? "ok" : "not found";
    return ((health ? "HTTP/1.1 200 OK" : "HTTP/1.1 404 Not Found")
            + "\r\nContent-Type: text/plain\r\nContent-Length: "
            + body.length()
            + "\r\nConnection: close\r\n\r\n"
            + body)
        .getBytes(StandardCharsets.US_ASCII);
  }
}
