package dev.roomcast.grizzly;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * What the server's edge allows one client (see {@code docs/security.md}; the example server reads
 * each from the environment variable named below): connection counts per address, how long a
 * request or a WebSocket message may take to arrive, how much may wait to be written to a peer, the
 * HTTP publish rate, and what the operational endpoints show. Immutable. The defaults let one
 * stranger take a tenth of an instance at most and never block a thread.
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

  /** Every default: what {@link #builder()} builds unchanged. */
  public static EdgeConfig defaults() {
    return builder().build();
  }

  /** A builder starting from every default. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from this configuration. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /**
   * Builds an {@link EdgeConfig}; each setter checks its value ({@link IllegalArgumentException}
   * naming the setting). Not thread-safe.
   */
  public static final class Builder {
    private int trustedProxyHops = 0;
    private int maxConnectionsPerAddress = 1000;
    private int maxPendingConnections = 1000;
    private int maxPendingPerAddress = 100;
    private long maxWriteQueueBytes = 256 * 1024;
    private Duration messageTimeout = Duration.ofSeconds(30);
    private Duration bodyTimeout = Duration.ofSeconds(10);
    private int httpPublishRate = 50;
    private int httpPublishBurst = 100;
    private boolean metricsRoomNames = false;
    private Optional<String> metricsToken = Optional.empty();

    private Builder() {}

    private Builder(EdgeConfig c) {
      trustedProxyHops = c.trustedProxyHops;
      maxConnectionsPerAddress = c.maxConnectionsPerAddress;
      maxPendingConnections = c.maxPendingConnections;
      maxPendingPerAddress = c.maxPendingPerAddress;
      maxWriteQueueBytes = c.maxWriteQueueBytes;
      messageTimeout = c.messageTimeout;
      bodyTimeout = c.bodyTimeout;
      httpPublishRate = c.httpPublishRate;
      httpPublishBurst = c.httpPublishBurst;
      metricsRoomNames = c.metricsRoomNames;
      metricsToken = c.metricsToken;
    }

    /** Proxies in front of the server that append to {@code X-Forwarded-For}, 0 to 16. */
    public Builder trustedProxyHops(int hops) {
      trustedProxyHops = check("trustedProxyHops", hops, 0, 16);
      return this;
    }

    /** Open connections per client address; 0 for no limit. */
    public Builder maxConnectionsPerAddress(int max) {
      maxConnectionsPerAddress = check("maxConnectionsPerAddress", max, 0, Integer.MAX_VALUE);
      return this;
    }

    /** Connections that have not sent a complete first request yet, at least 1. */
    public Builder maxPendingConnections(int max) {
      maxPendingConnections = check("maxPendingConnections", max, 1, Integer.MAX_VALUE);
      return this;
    }

    /** Pending connections per socket address, at least 1. */
    public Builder maxPendingPerAddress(int max) {
      maxPendingPerAddress = check("maxPendingPerAddress", max, 1, Integer.MAX_VALUE);
      return this;
    }

    /** Bytes waiting to be written to one WebSocket peer before it is cut off, 1 KiB to 1 GiB. */
    public Builder maxWriteQueueBytes(long bytes) {
      if (bytes < 1024 || bytes > 1L << 30) {
        throw new IllegalArgumentException(
            "maxWriteQueueBytes must be between 1024 and 2^30, was " + bytes);
      }
      maxWriteQueueBytes = bytes;
      return this;
    }

    /** How long a WebSocket message may take to arrive whole after its first byte. */
    public Builder messageTimeout(Duration timeout) {
      messageTimeout = positive("messageTimeout", timeout);
      return this;
    }

    /** How long an HTTP request body may take to arrive whole after its headers. */
    public Builder bodyTimeout(Duration timeout) {
      bodyTimeout = positive("bodyTimeout", timeout);
      return this;
    }

    /** HTTP publishes per second per client address (and token subject), at least 1. */
    public Builder httpPublishRate(int perSecond) {
      httpPublishRate = check("httpPublishRate", perSecond, 1, Integer.MAX_VALUE);
      return this;
    }

    /** HTTP publishes above the rate at once, at least 1. */
    public Builder httpPublishBurst(int burst) {
      httpPublishBurst = check("httpPublishBurst", burst, 1, Integer.MAX_VALUE);
      return this;
    }

    /** Whether {@code /metrics} lists room names with their sizes. */
    public Builder metricsRoomNames(boolean show) {
      metricsRoomNames = show;
      return this;
    }

    /**
     * A token {@code /metrics} requests must carry as {@code Authorization: Bearer}, at least 16
     * characters; {@code null} for none.
     */
    public Builder metricsToken(String token) {
      if (token != null && token.length() < 16) {
        throw new IllegalArgumentException(
            "metricsToken must be at least 16 characters, was " + token.length());
      }
      metricsToken = Optional.ofNullable(token);
      return this;
    }

    public EdgeConfig build() {
      return new EdgeConfig(
          trustedProxyHops,
          maxConnectionsPerAddress,
          maxPendingConnections,
          maxPendingPerAddress,
          maxWriteQueueBytes,
          messageTimeout,
          bodyTimeout,
          httpPublishRate,
          httpPublishBurst,
          metricsRoomNames,
          metricsToken);
    }

    private static int check(String name, int value, int min, int max) {
      if (value < min || value > max) {
        throw new IllegalArgumentException(
            name + " must be between " + min + " and " + max + ", was " + value);
      }
      return value;
    }

    private static Duration positive(String name, Duration value) {
      if (value == null || value.isNegative() || value.isZero()) {
        throw new IllegalArgumentException(name + " must be positive, was " + value);
      }
      return value;
    }
  }

  /** A one-line description for a startup log line; never the token. */
  public String summary() {
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
