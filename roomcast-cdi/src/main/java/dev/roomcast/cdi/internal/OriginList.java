package dev.roomcast.cdi.internal;

import dev.roomcast.cdi.RoomcastConfigurationException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import java.util.function.Predicate;

/**
 * {@code roomcast.allowed-origins}: which browser origins may open a WebSocket. Empty (unset) or
 * {@code *} allows every origin; otherwise a comma-separated list of origins such as {@code
 * https://chat.example.com}, compared without regard to case or a trailing {@code /}. A handshake
 * without an {@code Origin} header (not from a browser) is always let through: such a client can
 * claim any origin, so this check protects browsers' visitors and is no authentication. Immutable
 * and thread-safe.
 */
public final class OriginList implements Predicate<String> {
  private final Set<String> allowed;

  private OriginList(Set<String> allowed) {
    this.allowed = Set.copyOf(allowed);
  }

  /**
   * @throws RoomcastConfigurationException naming {@code property} for an entry that is not an
   *     origin
   */
  public static OriginList parse(String property, String value) {
    Set<String> out = new LinkedHashSet<>();
    if (value != null) {
      for (String part : value.split(",")) {
        String p = part.trim();
        if (p.isEmpty()) {
          continue;
        }
        if (p.equals("*")) {
          return new OriginList(Set.of());
        }
        if (!p.equals("null") && !isOrigin(p)) {
          throw new RoomcastConfigurationException(
              property,
              "must be * or a comma-separated list of origins like https://chat.example.com, was '"
                  + p
                  + "'");
        }
        out.add(normalize(p));
      }
    }
    return new OriginList(out);
  }

  /** Whether every origin is allowed. */
  public boolean allowsAny() {
    return allowed.isEmpty();
  }

  @Override
  public boolean test(String origin) {
    return allowed.isEmpty() || origin == null || allowed.contains(normalize(origin));
  }

  @Override
  public String toString() {
    return allowed.isEmpty() ? "*" : String.join(",", allowed);
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
}
