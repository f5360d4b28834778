package dev.roomcast.spring.boot.autoconfigure.internal;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;

/**
 * The {@code spring.data.redis.*} settings the Redis backplane is built from, read with Boot's own
 * binder (relaxed names, environment variables such as {@code SPRING_DATA_REDIS_HOST}), so the
 * application configures Redis once whether or not it also uses Spring Data Redis. Defaults are
 * Boot's: {@code localhost:6379}, database 0, no TLS. Immutable.
 *
 * @param url {@code redis://} or {@code rediss://} URL; when set, it wins over host, port,
 *     username, password and database, as in Spring Boot
 * @param host the host ({@code localhost})
 * @param port the port (6379)
 * @param username the ACL user, or {@code null}
 * @param password the password, or {@code null}
 * @param database the database index (0)
 * @param timeout the read timeout, or {@code null} for roomcast's (2 s)
 * @param connectTimeout the connect timeout, or {@code null} for roomcast's (2 s)
 * @param clientName Boot's client name; roomcast names its own two connections instead
 * @param ssl TLS: on, and which SSL bundle
 * @param sentinel set when Sentinel is configured (not supported by roomcast)
 * @param cluster set when Cluster is configured (not supported by roomcast)
 */
public record SpringDataRedisSettings(
    String url,
    String host,
    Integer port,
    String username,
    String password,
    Integer database,
    Duration timeout,
    Duration connectTimeout,
    String clientName,
    Ssl ssl,
    Sentinel sentinel,
    Cluster cluster) {

  /** The prefix of every setting read here. */
  public static final String PREFIX = "spring.data.redis";

  /** {@code spring.data.redis.ssl.*}. */
  public record Ssl(Boolean enabled, String bundle) {}

  /** {@code spring.data.redis.sentinel.*}. */
  public record Sentinel(String master, List<String> nodes) {}

  /** {@code spring.data.redis.cluster.*}. */
  public record Cluster(List<String> nodes) {}

  /** Reads the settings from {@code environment}. */
  public static SpringDataRedisSettings from(Environment environment) {
    return Binder.get(environment)
        .bind(PREFIX, Bindable.of(SpringDataRedisSettings.class))
        .orElseGet(
            () ->
                new SpringDataRedisSettings(
                    null, null, null, null, null, null, null, null, null, null, null, null));
  }

  /** Whether TLS was asked for, by {@code ssl.enabled} or by naming a bundle. */
  boolean tls() {
    return ssl != null
        && (Boolean.TRUE.equals(ssl.enabled())
            || (ssl.bundle() != null && !ssl.bundle().isBlank()));
  }

  /** The SSL bundle's name, or {@code null}. */
  String sslBundle() {
    return ssl == null || ssl.bundle() == null || ssl.bundle().isBlank() ? null : ssl.bundle();
  }

  /** Never prints the password. */
  @Override
  public String toString() {
    return "spring.data.redis{url="
        + (url == null ? null : "(set)")
        + ", host="
        + host
        + ", port="
        + port
        + ", database="
        + database
        + ", tls="
        + tls()
        + "}";
  }
}
