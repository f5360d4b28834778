package dev.roomcast.example;

import dev.roomcast.grizzly.EdgeConfig;
import java.time.Duration;
import java.util.Map;

/**
 * Reads roomcast-grizzly's {@link EdgeConfig} from the example's environment variables (the names
 * are in {@link EdgeConfig}'s documentation and {@code docs/security.md}).
 */
final class EdgeVariables {
  private EdgeVariables() {}

  /**
   * Reads the edge variables; unset ones keep {@link EdgeConfig#defaults()}.
   *
   * @throws ConfigException naming the first variable with a bad value
   */
  static EdgeConfig fromEnv(Map<String, String> env) {
    ServerConfig.Env e = new ServerConfig.Env(env);
    EdgeConfig d = EdgeConfig.defaults();
    String token = e.raw("ROOMCAST_METRICS_TOKEN");
    if (token != null && token.length() < 16) {
      throw new ConfigException(
          "ROOMCAST_METRICS_TOKEN", "must be at least 16 characters, was " + token.length());
    }
    return EdgeConfig.builder()
        .trustedProxyHops(e.integer("ROOMCAST_TRUSTED_PROXY_HOPS", d.trustedProxyHops(), 0, 16))
        .maxConnectionsPerAddress(
            e.integer(
                "ROOMCAST_MAX_CONNECTIONS_PER_ADDRESS",
                d.maxConnectionsPerAddress(),
                0,
                Integer.MAX_VALUE))
        .maxPendingConnections(
            e.integer(
                "ROOMCAST_MAX_PENDING_CONNECTIONS",
                d.maxPendingConnections(),
                1,
                Integer.MAX_VALUE))
        .maxPendingPerAddress(
            e.integer(
                "ROOMCAST_MAX_PENDING_PER_ADDRESS", d.maxPendingPerAddress(), 1, Integer.MAX_VALUE))
        .maxWriteQueueBytes(
            e.longInteger("ROOMCAST_MAX_WRITE_QUEUE_BYTES", d.maxWriteQueueBytes(), 1024, 1L << 30))
        .messageTimeout(seconds(e, "ROOMCAST_MESSAGE_TIMEOUT_SECONDS", d.messageTimeout()))
        .bodyTimeout(seconds(e, "ROOMCAST_BODY_TIMEOUT_SECONDS", d.bodyTimeout()))
        .httpPublishRate(e.integer("ROOMCAST_HTTP_PUBLISH_RATE", d.httpPublishRate(), 1, 1_000_000))
        .httpPublishBurst(
            e.integer("ROOMCAST_HTTP_PUBLISH_BURST", d.httpPublishBurst(), 1, 1_000_000))
        .metricsRoomNames(e.bool("ROOMCAST_METRICS_ROOM_NAMES", d.metricsRoomNames()))
        .metricsToken(token)
        .build();
  }

  private static Duration seconds(ServerConfig.Env e, String name, Duration fallback) {
    return Duration.ofSeconds(e.integer(name, (int) fallback.toSeconds(), 1, 3_600));
  }
}
