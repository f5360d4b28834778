package dev.roomcast.grizzly.internal;

import java.net.URI;
import java.util.Base64;

/**
 * Checks on a WebSocket upgrade request that Tyrus does not make, or makes by failing: done by
 * {@link HandshakeFilter} before Tyrus sees the request, which is then answered 400.
 *
 * <ul>
 *   <li>The path and query must form a valid URI. Tyrus calls {@code URI.create} on them: on the
 *       path before the handshake (a logged stack trace and a dropped connection), on path and
 *       query after it has already answered 101 (the client sees an upgrade and then a reset).
 *   <li>{@code Sec-WebSocket-Key} must be the base64 of 16 bytes (RFC 6455 4.2.1); Tyrus upgrades
 *       with any value, even an empty one.
 * </ul>
 *
 * Stateless and thread-safe.
 */
final class UpgradeRequestCheck {
  private UpgradeRequestCheck() {}

  /**
   * @return why the request must be refused, or {@code null} if it may go on to Tyrus
   */
  static String problem(String path, String query, String key) {
    try {
      URI.create(query == null ? path : path + "?" + query);
    } catch (IllegalArgumentException e) {
      return "malformed request URI";
    }
    if (!validKey(key)) {
      return "invalid Sec-WebSocket-Key";
    }
    return null;
  }

  static boolean validKey(String key) {
    if (key == null || key.length() != 24) {
      return false;
    }
    try {
      return Base64.getDecoder().decode(key).length == 16;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
