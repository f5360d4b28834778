package dev.roomcast.example;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The {@code Origin} allow-list ({@code ROOMCAST_ALLOWED_ORIGINS}). Immutable and thread-safe.
 *
 * <p>Browsers put the page's origin ({@code scheme://host[:port]}) on every WebSocket handshake and
 * cross-origin request; checking it stops a page on another site from connecting with a visitor's
 * cookies or from inside their network. Non-browser clients send no {@code Origin} and are not
 * affected: they can claim any origin, so this is not authentication. An empty list allows every
 * origin. Comparison ignores case and a trailing {@code /}; the literal origin {@code null}
 * (sandboxed frames, {@code file:} pages) is refused unless listed.
 */
final class OriginPolicy implements Predicate<String> {
  private final Set<String> allowed;

  OriginPolicy(List<String> allowed) {
    this.allowed = Set.copyOf(allowed);
  }

  /** Whether a request with this {@code Origin} value ({@code null}: none) may proceed. */
  @Override
  public boolean test(String origin) {
    if (allowed.isEmpty() || origin == null) {
      return true;
    }
    return allowed.contains(normalize(origin));
  }

  boolean allowsAny() {
    return allowed.isEmpty();
  }

  /**
   * Parses the comma-separated list: {@code *} (or unset) for any origin, otherwise origins like
   * {@code https://chat.example.com} or {@code http://localhost:8080}.
   *
   * @return the normalized origins; empty for any
   * @throws ConfigException when an entry is not an origin
   */
  static List<String> parse(String variable, String value) {
    List<String> out = new ArrayList<>();
    if (value == null) {
      return out;
    }
    for (String part : value.split(",")) {
      String p = part.trim();
      if (p.isEmpty()) {
        continue;
      }
      if (p.equals("*")) {
        return List.of();
      }
      if (!p.equals("null") && !isOrigin(p)) {
        throw new ConfigException(
            variable,
            "must be * or a comma-separated list of origins like https://chat.example.com, was '"
                + p
                + "'");
      }
      out.add(normalize(p));
    }
    return out;
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
    } catch (java.net.URISyntaxException e) {
      return false;
    }
  }

  private static String normalize(String origin) {
    String o = origin.trim().toLowerCase(Locale.ROOT);
    return o.endsWith("/") ? o.substring(0, o.length() - 1) : o;
  }
}
