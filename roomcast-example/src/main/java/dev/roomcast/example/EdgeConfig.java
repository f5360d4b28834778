package dev.roomcast.example;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What the server's edge allows one client, read from environment variables (see {@code
 * docs/security.md}): connection counts per address, how long a request or a WebSocket message may
 * take to arrive, how much may wait to be written to a peer, the HTTP publish rate, and what the
 * operational endpoints show. Immutable. The defaults let one stranger take a tenth of an instance
 * at most and never block a thread.
 *
 * @param trustedProxyHops {@code ROOMCAST_TRUSTED_PROXY_HOPS}: proxies in front of the server that
 *     append to {@code X-Forwarded-For} (Cloud Run: 1); 0 (default) ignores the header
 * @param maxConnectionsPerAddress {@code ROOMCAST_MAX_CONNECTIONS_PER_ADDRESS}: open connections
 *     (WebSocket, SSE, HTTP) per client address, default 1000; 0 for no limit
 * @param maxPendingConnections {@code ROOMCAST_MAX_PENDING_CONNECTIONS}: connections that have not
 *     sent a complete first request yet (handshakes in progress), default 1000
 * @param maxPendingPerAddress {@code ROOMCAST_MAX_PENDING_PER_ADDRESS}: the same per socket
 *     address, default 100
 * @param maxWriteQueueBytes {@code ROOMCAST_MAX_WRITE_QUEUE_BYTES}: bytes waiting to be written to
 *     one WebSocket peer (the frame in flight, pongs, pings, close) before it is cut off as a slow
 *     consumer, default 262144
 * @param messageTimeout {@code ROOMCAST_MESSAGE_TIMEOUT_SECONDS}: a WebSocket message must arrive
 *     whole within this long of its first byte, default 30
 * @param bodyTimeout {@code ROOMCAST_BODY_TIMEOUT_SECONDS}: an HTTP request body must arrive whole
 *     within this long of its headers, default 10
 * @param httpPublishRate {@code ROOMCAST_HTTP_PUBLISH_RATE}: HTTP publishes per second per client
 *     address, and per token subject when authenticated, default 50
 * @param httpPublishBurst {@code ROOMCAST_HTTP_PUBLISH_BURST}: publishes above the rate at once,
 *     default 100
 * @param metricsRoomNames {@code ROOMCAST_METRICS_ROOM_NAMES}: whether {@code /metrics} lists room
 *     names with their sizes, default false (counts only)
 * @param metricsToken {@code ROOMCAST_METRICS_TOKEN}: when set, {@code /metrics} and {@code
 *     /metrics/prometheus} need {@code Authorization: Bearer <it>}
 */
public record EdgeConfig(
    int trustedProxyHops,
    int maxConnectionsPerAddress,
    int maxPendingConnections,
    int maxPendingPerAddress,
    long maxWriteQueueBytes,
    Duration messageTimeout,
    Duration bodyTimeout,
    int httpPublishRate,
    int httpPublishBurst,
    boolean metricsRoomNames,
    Optional<String> metricsToken) {

  public EdgeConfig {
    Objects.requireNonNull(messageTimeout, "messageTimeout");
    Objects.requireNonNull(bodyTimeout, "bodyTimeout");
    Objects.requireNonNull(metricsToken, "metricsToken");
  }

  /** Every default. */
  public static EdgeConfig defaults() {
    return fromEnv(Map.of());
  }

  /**
   * Reads the edge variables.
   *
   * @throws ConfigException naming the first variable with a bad value
   */
  static EdgeConfig fromEnv(Map<String, String> env) {
    ServerConfig.Env e = new ServerConfig.Env(env);
    String token = e.raw("ROOMCAST_METRICS_TOKEN");
    if (token != null && token.length() < 16) {
      throw new ConfigException(
          "ROOMCAST_METRICS_TOKEN", "must be at least 16 characters, was " + token.length());
    }
    return new EdgeConfig(
        e.integer("ROOMCAST_TRUSTED_PROXY_HOPS", 0, 0, 16),
        e.integer("ROOMCAST_MAX_CONNECTIONS_PER_ADDRESS", 1000, 0, Integer.MAX_VALUE),
        e.integer("ROOMCAST_MAX_PENDING_CONNECTIONS", 1000, 1, Integer.MAX_VALUE),
        e.integer("ROOMCAST_MAX_PENDING_PER_ADDRESS", 100, 1, Integer.MAX_VALUE),
        e.longInteger("ROOMCAST_MAX_WRITE_QUEUE_BYTES", 256 * 1024, 1024, 1L << 30),
        Duration.ofSeconds(e.integer("ROOMCAST_MESSAGE_TIMEOUT_SECONDS", 30, 1, 3_600)),
        Duration.ofSeconds(e.integer("ROOMCAST_BODY_TIMEOUT_SECONDS", 10, 1, 3_600)),
        e.integer("ROOMCAST_HTTP_PUBLISH_RATE", 50, 1, 1_000_000),
        e.integer("ROOMCAST_HTTP_PUBLISH_BURST", 100, 1, 1_000_000),
        e.bool("ROOMCAST_METRICS_ROOM_NAMES", false),
        Optional.ofNullable(token));
  }

  /** For the startup log line; never the token. */
  String summary() {
    return "edge: perAddress="
        + (maxConnectionsPerAddress == 0 ? "off" : maxConnectionsPerAddress)
        + " pending="
        + maxPendingConnections
        + "/"
        + maxPendingPerAddress
        + " proxyHops="
        + trustedProxyHops
        + " writeQueue="
        + maxWriteQueueBytes
        + " messageTimeout="
        + messageTimeout.toSeconds()
        + "s bodyTimeout="
        + bodyTimeout.toSeconds()
        + "s httpPublish="
        + httpPublishRate
        + "/s burst "
        + httpPublishBurst
        + " metrics="
        + (metricsToken.isPresent() ? "token" : "open")
        + (metricsRoomNames ? "+rooms" : "");
  }

  @Override
  public String toString() {
    return "EdgeConfig[" + summary() + "]";
  }
}
