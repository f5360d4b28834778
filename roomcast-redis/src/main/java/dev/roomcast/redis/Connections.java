package dev.roomcast.redis;

import java.io.IOException;
import redis.clients.jedis.Connection;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.SslOptions;
import redis.clients.jedis.SslVerifyMode;

/**
 * How one node reaches one Redis endpoint: the Jedis client configuration of its two connections
 * (credentials, database, timeouts, TLS trust and key stores, hostname checking, the client names
 * {@code roomcast-<nodeId>-cmd} and {@code -sub} that {@code CLIENT LIST} shows) and opening them.
 *
 * <p>Immutable and thread-safe. Opening a connection connects, performs the TLS handshake and
 * authenticates, so it blocks for up to the connect timeout plus a socket timeout; callers are the
 * node's own threads, never a hub thread.
 */
final class Connections {
  /** What a connection is for; also the suffix of its client name. */
  enum Role {
    CMD("cmd"),
    SUB("sub");

    final String suffix;

    Role(String suffix) {
      this.suffix = suffix;
    }
  }

  private final RedisEndpoint endpoint;
  private final HostAndPort address;
  private final JedisClientConfig cmdConfig;
  private final JedisClientConfig subConfig;

  Connections(RedisConfig config, RedisEndpoint endpoint, String nodeId) {
    this.endpoint = endpoint;
    this.address = new HostAndPort(endpoint.host, endpoint.port);
    this.cmdConfig = clientConfig(config, endpoint, nodeId, Role.CMD);
    this.subConfig = clientConfig(config, endpoint, nodeId, Role.SUB);
  }

  /** The endpoint, for messages (its {@code toString} never shows the password). */
  RedisEndpoint endpoint() {
    return endpoint;
  }

  /** Opens and authenticates a command connection. */
  Connection openCommand() {
    return new Connection(address, cmdConfig);
  }

  /** Opens and authenticates a subscriber connection. */
  PubSubConnection openSubscriber() {
    return new PubSubConnection(address, subConfig);
  }

  /** Closes a connection without waiting for anything; safe on a dead or closed connection. */
  static void forceDisconnect(Connection c) {
    try {
      c.forceDisconnect();
    } catch (IOException | RuntimeException e) {
      // already gone
    }
  }

  private static JedisClientConfig clientConfig(
      RedisConfig config, RedisEndpoint ep, String nodeId, Role role) {
    DefaultJedisClientConfig.Builder b =
        DefaultJedisClientConfig.builder()
            .connectionTimeoutMillis((int) config.connectTimeout.toMillis())
            .socketTimeoutMillis((int) config.socketTimeout.toMillis())
            .database(ep.database)
            .clientName("roomcast-" + nodeId + "-" + role.suffix);
    if (ep.user != null) {
      b.user(ep.user);
    }
    if (ep.password != null) {
      b.password(ep.password);
    }
    if (ep.tls) {
      SslOptions.Builder tls =
          SslOptions.builder()
              .sslVerifyMode(config.tlsVerifyHostname ? SslVerifyMode.FULL : SslVerifyMode.CA);
      if (config.tlsTrustStore != null) {
        tls.truststore(config.tlsTrustStore.toFile(), config.tlsTrustStorePassword);
      }
      if (config.tlsKeyStore != null) {
        tls.keystore(config.tlsKeyStore.toFile(), config.tlsKeyStorePassword);
      }
      b.sslOptions(tls.build());
    }
    // plain RESP2, no HELLO: any Redis >= 5, on Jedis 7 and 8 (see Resp2ClientConfig)
    return new Resp2ClientConfig(b.build());
  }
}
