package dev.roomcast.example;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.roomcast.NoticePolicy;
import java.time.Duration;
import java.util.Map;
import java.util.logging.Level;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ServerConfigTest {

  @Test
  void defaultsMatchTheDocs() {
    ServerConfig c = ServerConfig.fromEnv(Map.of());
    assertThat(c.port()).isEqualTo(8080);
    assertThat(c.bindAddress()).isEqualTo("0.0.0.0");
    assertThat(c.notices()).isSameAs(NoticePolicy.always());
    assertThat(c.maxMessageBytes()).isEqualTo(65536);
    assertThat(c.maxConnections()).isEqualTo(10_000);
    assertThat(c.publishRate()).isEqualTo(100);
    assertThat(c.publishBurst()).isEqualTo(200);
    assertThat(c.outboxMaxFrames()).isEqualTo(1024);
    assertThat(c.outboxMaxBytes()).isEqualTo(1 << 20);
    assertThat(c.pingInterval()).isEqualTo(Duration.ofSeconds(30));
    assertThat(c.pongTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(c.drainTime()).isEqualTo(Duration.ofSeconds(5));
    assertThat(c.logLevel()).isEqualTo(Level.INFO);
    assertThat(c.redisUrl()).isEmpty();
    assertThat(c).isEqualTo(ServerConfig.defaults());
  }

  @Test
  void everyVariableIsRead() {
    ServerConfig c =
        ServerConfig.fromEnv(
            Map.ofEntries(
                Map.entry("PORT", "9090"),
                Map.entry("ROOMCAST_BIND_ADDRESS", "127.0.0.1"),
                Map.entry("ROOMCAST_NOTICES", "50"),
                Map.entry("ROOMCAST_MAX_MESSAGE_BYTES", "1024"),
                Map.entry("ROOMCAST_MAX_CONNECTIONS", "7"),
                Map.entry("ROOMCAST_PUBLISH_RATE", "5"),
                Map.entry("ROOMCAST_PUBLISH_BURST", "9"),
                Map.entry("ROOMCAST_OUTBOX_MAX_FRAMES", "16"),
                Map.entry("ROOMCAST_OUTBOX_MAX_BYTES", "4096"),
                Map.entry("ROOMCAST_PING_INTERVAL_SECONDS", "0"),
                Map.entry("ROOMCAST_PONG_TIMEOUT_SECONDS", "3"),
                Map.entry("ROOMCAST_DRAIN_SECONDS", "8"),
                Map.entry("LOG_LEVEL", "DEBUG"),
                Map.entry("REDIS_URL", "redis://localhost:6379")));
    assertThat(c.port()).isEqualTo(9090);
    assertThat(c.bindAddress()).isEqualTo("127.0.0.1");
    assertThat(c.notices().appliesTo(50)).isTrue();
    assertThat(c.notices().appliesTo(51)).isFalse();
    assertThat(c.limits().maxMessageBytes()).isEqualTo(1024);
    assertThat(c.limits().maxConnections()).isEqualTo(7);
    assertThat(c.limits().publishRatePerSecond()).isEqualTo(5);
    assertThat(c.limits().publishBurst()).isEqualTo(9);
    assertThat(c.outboxLimits().maxFrames()).isEqualTo(16);
    assertThat(c.outboxLimits().maxBytes()).isEqualTo(4096);
    assertThat(c.pingInterval()).isZero();
    assertThat(c.pongTimeout()).isEqualTo(Duration.ofSeconds(3));
    assertThat(c.drainTime()).isEqualTo(Duration.ofSeconds(8));
    assertThat(c.logLevel()).isEqualTo(Level.FINE);
    assertThat(c.redisUrl()).hasValue("redis://localhost:6379");
  }

  @Test
  void blankMeansDefault() {
    assertThat(ServerConfig.fromEnv(Map.of("PORT", "  ", "ROOMCAST_NOTICES", "")))
        .isEqualTo(ServerConfig.defaults());
  }

  @ParameterizedTest
  @CsvSource({
    "PORT, abc, must be a whole number",
    "PORT, 70000, between 0 and 65535",
    "PORT, -1, between 0 and 65535",
    "ROOMCAST_NOTICES, sometimes, 'on, off'",
    "ROOMCAST_MAX_MESSAGE_BYTES, 10, between 64",
    "ROOMCAST_MAX_CONNECTIONS, 0, between 1",
    "ROOMCAST_PUBLISH_RATE, 1.5, whole number",
    "ROOMCAST_OUTBOX_MAX_FRAMES, lots, whole number",
    "ROOMCAST_OUTBOX_MAX_BYTES, 0, between 1",
    "ROOMCAST_PING_INTERVAL_SECONDS, -5, between 0",
    "ROOMCAST_PONG_TIMEOUT_SECONDS, 0, between 1",
    "ROOMCAST_DRAIN_SECONDS, 5s, whole number",
    "LOG_LEVEL, loud, 'one of trace, debug, info, warn, error'"
  })
  void aBadValueNamesItsVariable(String variable, String value, String expected) {
    assertThatThrownBy(() -> ServerConfig.fromEnv(Map.of(variable, value)))
        .isInstanceOfSatisfying(
            ConfigException.class, e -> assertThat(e.variable()).isEqualTo(variable))
        .hasMessageStartingWith(variable + " ")
        .hasMessageContaining(expected);
  }

  @Test
  void anUnusableRedisUrlFailsStartupClearly() {
    ServerConfig c = ServerConfig.fromEnv(Map.of("PORT", "0", "REDIS_URL", "http://cache:6379"));
    assertThatThrownBy(() -> ExampleServer.start(c))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("REDIS_URL is not usable:");
  }
}
