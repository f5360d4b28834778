package dev.roomcast.spring.boot.autoconfigure.internal;

import dev.roomcast.spring.boot.autoconfigure.InvalidRoomcastPropertyException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The {@code Origin} allow-list of the WebSocket endpoint ({@code roomcast.allowed-origins}).
 * Immutable and thread-safe.
 *
 * <p>Browsers put the page's origin on every WebSocket handshake; checking it stops a page on
 * another site from connecting with a visitor's cookies (cross-site WebSocket hijacking), which
 * matters once Spring Security authenticates handshakes by session cookie. Non-browser clients send
 * no {@code Origin} and are let through: they can claim any origin, so this is no authentication.
 * An empty list (or {@code *}) allows every origin. Comparison ignores case and a trailing {@code
 * /}; the literal origin {@code null} (sandboxed frames, {@code file:} pages) is refused unless
 * listed. The same rules as the example server's {@code ROOMCAST_ALLOWED_ORIGINS}.
 */
final class OriginAllowList implements Predicate<String> {
  private final Set<String> allowed;

  private OriginAllowList(Set<String> allowed) {
    this.allowed = Set.copyOf(allowed);
  }

  /**
   * @throws InvalidRoomcastPropertyException when an entry is not an origin like {@code
   *     https://chat.example.com}
   */
  static OriginAllowList of(String property, List<String> entries) {
    Set<String> allowed = new LinkedHashSet<>();
    for (String entry : entries == null ? List.<String>of() : entries) {
      String e = entry == null ? "" : entry.trim();
      if (e.isEmpty()) {
        continue;
      }
      if (e.equals("*")) {
        return new OriginAllowList(Set.of());
      }
      if (!e.equals("null") && !isOrigin(e)) {
        throw new InvalidRoomcastPropertyException(
            property,
            "entries must be * or origins like https://chat.example.com (scheme://host[:port]), was '"
                + e
                + "'");
      }
      allowed.add(normalize(e));
    }
    return new OriginAllowList(allowed);
  }

  @Override
  public boolean test(String origin) {
    return allowed.isEmpty() || origin == null || allowed.contains(normalize(origin));
  }

  private static boolean isOrigin(String s) {
    try {
      URI u = new URI(s.endsWith("/") ? s.substring(0, s.length() - 1) : s);
      return u.getScheme() != null
          && u.getHost() != null
          && (u.getRawPath() == null || u.getRawPath().isEmpty())
          && u.getRawQuery() == null
          && u.getRawFragment() == null
          && u.getRawUserInfo() == null;
    } catch (URISyntaxException e) {
      return false;
    }
  }

  private static String normalize(String origin) {
    String o = origin.trim().toLowerCase(Locale.ROOT);
    return o.endsWith("/") ? o.substring(0, o.length() - 1) : o;
  }

  @Override
  public String toString() {
    return allowed.isEmpty() ? "any origin" : allowed.toString();
  }
}
