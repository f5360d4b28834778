package dev.roomcast.redis;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Where Redis is and how to log in, parsed from a {@code redis://} or {@code rediss://} URL: {@code
 * redis[s]://[[user]:password@]host[:port][/database]}. Immutable. {@link #toString()} never shows
 * the password.
 */
final class RedisEndpoint {
  static final int DEFAULT_PORT = 6379;

  final String host;
  final int port;
  final String user;
  final String password;
  final int database;
  final boolean tls;

  private RedisEndpoint(
      String host, int port, String user, String password, int database, boolean tls) {
    this.host = host;
    this.port = port;
    this.user = user;
    this.password = password;
    this.database = database;
    this.tls = tls;
  }

  /**
   * Parses a Redis URL.
   *
   * @throws IllegalArgumentException with a message that names the problem (and never the password)
   */
  static RedisEndpoint parse(String url) {
    Objects.requireNonNull(url, "Redis URL");
    String trimmed = url.trim();
    if (trimmed.isEmpty()) {
      throw new IllegalArgumentException(
          "Redis URL is empty; expected redis://host:port or rediss://host:port");
    }
    int sep = trimmed.indexOf("://");
    if (sep > 0 && (sep + 3 == trimmed.length() || trimmed.charAt(sep + 3) == '/')) {
      throw new IllegalArgumentException(
          "Redis URL has no host (expected redis://host:port): " + redact(trimmed));
    }
    URI uri;
    try {
      uri = new URI(trimmed);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(
          "Redis URL is not a valid URI (" + e.getReason() + "): " + redact(trimmed), e);
    }
    String scheme = uri.getScheme();
    boolean tls;
    if ("redis".equalsIgnoreCase(scheme)) {
      tls = false;
    } else if ("rediss".equalsIgnoreCase(scheme)) {
      tls = true;
    } else {
      throw new IllegalArgumentException(
          "Redis URL must start with redis:// or rediss:// (TLS), was: " + redact(trimmed));
    }
    String host = uri.getHost();
    if (host == null || host.isEmpty()) {
      throw new IllegalArgumentException(
          "Redis URL has no host (expected redis://host:port): " + redact(trimmed));
    }
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1); // IPv6 literal
    }
    int port = uri.getPort() == -1 ? DEFAULT_PORT : uri.getPort();
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException(
          "Redis URL port must be 1-65535, was " + port + ": " + redact(trimmed));
    }
    String user = null;
    String password = null;
    String userInfo = uri.getRawUserInfo();
    if (userInfo != null && !userInfo.isEmpty()) {
      int colon = userInfo.indexOf(':');
      if (colon < 0) {
        // redis://secret@host is how many providers write a password-only URL
        password = decode(userInfo);
      } else {
        String u = decode(userInfo.substring(0, colon));
        user = u.isEmpty() ? null : u;
        password = decode(userInfo.substring(colon + 1));
      }
      if (password != null && password.isEmpty()) {
        password = null;
      }
    }
    int database = 0;
    String path = uri.getPath();
    if (path != null && !path.isEmpty() && !path.equals("/")) {
      String db = path.substring(1);
      try {
        database = Integer.parseInt(db);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            "Redis URL path must be a database number (e.g. /0), was /" + db, e);
      }
      if (database < 0) {
        throw new IllegalArgumentException("Redis database must be >= 0, was " + database);
      }
    }
    if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
      throw new IllegalArgumentException(
          "Redis URL query parameters are not supported; use the builder's setters: "
              + redact(trimmed));
    }
    return new RedisEndpoint(host, port, user, password, database, tls);
  }

  /** The same credentials, database and TLS at another address (a Cluster node). */
  RedisEndpoint at(String otherHost, int otherPort) {
    return new RedisEndpoint(otherHost, otherPort, user, password, database, tls);
  }

  /** {@code host:port}, for naming Cluster nodes. */
  String address() {
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
  }

  private static String decode(String s) {
    return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
  }

  /** The URL with any credentials replaced, for messages. */
  static String redact(String url) {
    int scheme = url.indexOf("://");
    int at = url.lastIndexOf('@');
    if (scheme >= 0 && at > scheme) {
      return url.substring(0, scheme + 3) + "***@" + url.substring(at + 1);
    }
    return url;
  }

  @Override
  public String toString() {
    String h = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
    return (tls ? "rediss://" : "redis://")
        + (password != null ? (user != null ? user : "") + ":***@" : "")
        + h
        + ":"
        + port
        + "/"
        + database;
  }
}
