package dev.roomcast.spring.boot.autoconfigure.internal;

import static dev.roomcast.spring.boot.autoconfigure.internal.PropertyMapping.value;

import dev.roomcast.redis.RedisBackplane;
import dev.roomcast.spring.boot.autoconfigure.InvalidRoomcastPropertyException;
import dev.roomcast.spring.boot.autoconfigure.RoomcastProperties;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.function.Function;
import java.util.logging.Logger;
import org.springframework.boot.ssl.SslBundle;

/**
 * Builds the {@link RedisBackplane} from Spring Boot's Redis settings and {@code roomcast.redis.*}.
 *
 * <ul>
 *   <li>{@code url} wins over host/port/username/password/database, as in Boot; either way the
 *       result is roomcast's {@code redis[s]://[[user]:password@]host:port/database}, with user and
 *       password percent-encoded, so any character works;
 *   <li>{@code ssl.enabled} (or a {@code rediss://} URL) turns TLS on with the JVM's trust store;
 *       {@code ssl.bundle} uses that bundle's trust store and key store ({@link SslBundleFiles});
 *   <li>{@code timeout} is the reply timeout, {@code connect-timeout} the connect timeout;
 *   <li>{@code client-name} is not applied: roomcast names its two connections {@code
 *       roomcast-<node>-cmd} and {@code -sub}, so {@code CLIENT LIST} shows which instance is
 *       which;
 *   <li>Sentinel and Cluster are refused: the backplane needs one Redis endpoint.
 * </ul>
 *
 * Stateless apart from the {@link SslBundleFiles} it hands back for the caller to delete.
 */
public final class RedisBackplaneFactory {
  private static final Logger LOG = Logger.getLogger(RedisBackplaneFactory.class.getName());

  private RedisBackplaneFactory() {}

  /**
   * A backplane and the SSL bundle files it reads ({@code null} without a bundle); {@link #close()}
   * deletes the files, once the backplane is no longer used.
   */
  public record Built(RedisBackplane backplane, SslBundleFiles files) implements AutoCloseable {
    @Override
    public void close() {
      if (files != null) {
        files.close();
      }
    }
  }

  /**
   * @param bundles looks up an SSL bundle by name; {@code null} when Boot's SSL bundles are not
   *     available
   * @throws InvalidRoomcastPropertyException naming the setting that cannot be used
   */
  public static Built create(
      SpringDataRedisSettings s,
      RoomcastProperties.Redis roomcast,
      Function<String, SslBundle> bundles) {
    if (s.sentinel() != null && s.sentinel().master() != null) {
      throw new InvalidRoomcastPropertyException(
          "spring.data.redis.sentinel.master",
          "Redis Sentinel is not supported by roomcast's Redis backplane (it needs one Redis"
              + " endpoint: a single server or a managed primary behind one address)");
    }
    if (s.cluster() != null && s.cluster().nodes() != null && !s.cluster().nodes().isEmpty()) {
      throw new InvalidRoomcastPropertyException(
          "spring.data.redis.cluster.nodes",
          "Redis Cluster is not supported by roomcast's Redis backplane (it needs one Redis endpoint)");
    }
    if (s.clientName() != null) {
      LOG.info(
          "spring.data.redis.client-name is not used by roomcast: its connections are named"
              + " roomcast-<node>-cmd and roomcast-<node>-sub");
    }
    String uri = uri(s);
    RedisBackplane.Builder b = RedisBackplane.builder();
    String uriProperty =
        s.url() != null && !s.url().isBlank() ? "spring.data.redis.url" : "spring.data.redis.host";
    value(uriProperty, () -> b.uri(uri));
    value("roomcast.redis.key-prefix", () -> b.keyPrefix(roomcast.getKeyPrefix()));
    value("roomcast.redis.history-length", () -> b.historyLength(roomcast.getHistoryLength()));
    value(
        "roomcast.redis.history-ttl",
        () ->
            b.historyTtl(
                PropertyMapping.required("roomcast.redis.history-ttl", roomcast.getHistoryTtl())));
    if (s.timeout() != null) {
      value("spring.data.redis.timeout", () -> b.socketTimeout(s.timeout()));
    }
    if (s.connectTimeout() != null) {
      value("spring.data.redis.connect-timeout", () -> b.connectTimeout(s.connectTimeout()));
    }
    SslBundleFiles files = null;
    String bundleName = s.sslBundle();
    if (bundleName != null) {
      if (bundles == null) {
        throw new InvalidRoomcastPropertyException(
            "spring.data.redis.ssl.bundle", "SSL bundles are not available in this application");
      }
      SslBundle bundle;
      try {
        bundle = bundles.apply(bundleName);
      } catch (RuntimeException e) {
        throw new InvalidRoomcastPropertyException(
            "spring.data.redis.ssl.bundle",
            "no SSL bundle named '" + bundleName + "' (" + e.getMessage() + ")",
            e);
      }
      files = SslBundleFiles.write(bundleName, bundle);
      SslBundleFiles f = files;
      try {
        if (f.trustStore() != null) {
          b.tlsTrustStore(f.trustStore(), f.password());
        }
        if (f.keyStore() != null) {
          b.tlsKeyStore(f.keyStore(), f.password());
        }
      } catch (RuntimeException e) {
        f.close();
        throw e;
      }
    }
    try {
      return new Built(value("spring.data.redis", b::build), files);
    } catch (RuntimeException e) {
      if (files != null) {
        files.close();
      }
      throw e;
    }
  }

  /** The roomcast URI for the settings. */
  static String uri(SpringDataRedisSettings s) {
    if (s.url() != null && !s.url().isBlank()) {
      String url = s.url().trim();
      // Boot turns TLS on for ssl.enabled with a redis:// URL too
      if (s.tls() && url.regionMatches(true, 0, "redis://", 0, 8)) {
        url = "rediss://" + url.substring(8);
      }
      return url;
    }
    String host = s.host() == null || s.host().isBlank() ? "localhost" : s.host().trim();
    int port = s.port() == null ? 6379 : s.port();
    int database = s.database() == null ? 0 : s.database();
    StringBuilder u = new StringBuilder(s.tls() ? "rediss://" : "redis://");
    if (s.password() != null && !s.password().isEmpty()) {
      if (s.username() != null && !s.username().isEmpty()) {
        u.append(encode(s.username()));
      }
      u.append(':').append(encode(s.password())).append('@');
    }
    u.append(host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host);
    return u.append(':').append(port).append('/').append(database).toString();
  }

  private static String encode(String s) {
    // roomcast decodes %20 as a space and keeps a literal '+'
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
