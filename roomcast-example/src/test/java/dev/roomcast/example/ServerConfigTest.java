package dev.roomcast.example;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.roomcast.NoticePolicy;
import dev.roomcast.grizzly.EdgeConfig;
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
  void aBuilderFromAConfigChangesOnlyWhatItIsTold() {
    ServerConfig base =
        ServerConfig.fromEnv(
            Map.of(
                "PORT",
                "9000",
                "ROOMCAST_MAX_CONNECTION_AGE_SECONDS",
                "3300",
                "LOG_LEVEL",
                "warn"));
    ServerConfig moved = ServerConfig.builder(base).port(0).build();
    assertThat(moved.port()).isZero();
    assertThat(ServerConfig.builder(moved).port(9000).build()).isEqualTo(base);
    assertThat(base.port()).as("the base is not changed").isEqualTo(9000);
    assertThat(ServerConfig.builder().build()).isEqualTo(ServerConfig.defaults());
    assertThat(ServerConfig.builder().maxRooms(7).build().maxRooms()).isEqualTo(7);
  }

  @Test
  void theBuilderChecksTheWholeConfiguration() {
    assertThatThrownBy(() -> ServerConfig.builder().bindAddress(null).build())
        .isInstanceOf(NullPointerException.class)
        .hasMessage("bindAddress");
    assertThatThrownBy(
            () ->
                ServerConfig.builder()
                    .maxConnectionAge(Duration.ofSeconds(60))
                    .maxConnectionAgeJitter(Duration.ofSeconds(60))
                    .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxConnectionAgeJitter must be less than maxConnectionAge");
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

  @Test
  void theEdgeAndMemoryVariablesAreReadWithTheDocumentedDefaults() {
    EdgeConfig d = EdgeConfig.defaults();
    assertThat(d.trustedProxyHops()).isZero();
    assertThat(d.maxConnectionsPerAddress()).isEqualTo(1000);
    assertThat(d.maxPendingConnections()).isEqualTo(1000);
    assertThat(d.maxPendingPerAddress()).isEqualTo(100);
    assertThat(d.maxWriteQueueBytes()).isEqualTo(256 * 1024);
    assertThat(d.messageTimeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(d.bodyTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(d.httpPublishRate()).isEqualTo(50);
    assertThat(d.httpPublishBurst()).isEqualTo(100);
    assertThat(d.metricsRoomNames()).isFalse();
    assertThat(d.metricsToken()).isEmpty();
    long heap = Runtime.getRuntime().maxMemory();
    MemoryConfig m = MemoryConfig.defaults();
    assertThat(m.outboxTotalBytes()).isEqualTo(Math.max(8L << 20, heap / 8));
    assertThat(m.inboundTotalBytes()).isEqualTo(Math.max(4L << 20, heap / 16));
    assertThat(m.historySize()).isEqualTo(1000);
    assertThat(m.historyRoomBytes()).isEqualTo(4L << 20);
    assertThat(m.historyTotalBytes()).isEqualTo(Math.max(8L << 20, heap / 16));

    ServerConfig c =
        ServerConfig.fromEnv(
            Map.ofEntries(
                Map.entry("ROOMCAST_TRUSTED_PROXY_HOPS", "1"),
                Map.entry("ROOMCAST_MAX_CONNECTIONS_PER_ADDRESS", "0"),
                Map.entry("ROOMCAST_MAX_PENDING_CONNECTIONS", "50"),
                Map.entry("ROOMCAST_MAX_PENDING_PER_ADDRESS", "5"),
                Map.entry("ROOMCAST_MAX_WRITE_QUEUE_BYTES", "100000"),
                Map.entry("ROOMCAST_MESSAGE_TIMEOUT_SECONDS", "7"),
                Map.entry("ROOMCAST_BODY_TIMEOUT_SECONDS", "3"),
                Map.entry("ROOMCAST_HTTP_PUBLISH_RATE", "9"),
                Map.entry("ROOMCAST_HTTP_PUBLISH_BURST", "11"),
                Map.entry("ROOMCAST_METRICS_ROOM_NAMES", "yes"),
                Map.entry("ROOMCAST_METRICS_TOKEN", "0123456789abcdef"),
                Map.entry("ROOMCAST_OUTBOX_TOTAL_BYTES", "1000000"),
                Map.entry("ROOMCAST_INBOUND_TOTAL_BYTES", "2000000"),
                Map.entry("ROOMCAST_HISTORY_SIZE", "10"),
                Map.entry("ROOMCAST_HISTORY_ROOM_BYTES", "20000"),
                Map.entry("ROOMCAST_HISTORY_TOTAL_BYTES", "300000")));
    EdgeConfig e = c.edge();
    assertThat(e.trustedProxyHops()).isEqualTo(1);
    assertThat(e.maxConnectionsPerAddress()).isZero();
    assertThat(e.maxPendingConnections()).isEqualTo(50);
    assertThat(e.maxPendingPerAddress()).isEqualTo(5);
    assertThat(e.maxWriteQueueBytes()).isEqualTo(100_000);
    assertThat(e.messageTimeout()).isEqualTo(Duration.ofSeconds(7));
    assertThat(e.bodyTimeout()).isEqualTo(Duration.ofSeconds(3));
    assertThat(e.httpPublishRate()).isEqualTo(9);
    assertThat(e.httpPublishBurst()).isEqualTo(11);
    assertThat(e.metricsRoomNames()).isTrue();
    assertThat(e.metricsToken()).hasValue("0123456789abcdef");
    assertThat(e.toString()).doesNotContain("0123456789abcdef");
    assertThat(c.summary()).doesNotContain("0123456789abcdef");
    assertThat(c.outboxLimits().maxTotalBytes()).isEqualTo(1_000_000);
    assertThat(c.memory().inboundTotalBytes()).isEqualTo(2_000_000);
    assertThat(c.memory().historySize()).isEqualTo(10);
    assertThat(c.memory().historyRoomBytes()).isEqualTo(20_000);
    assertThat(c.memory().historyTotalBytes()).isEqualTo(300_000);
  }

  @ParameterizedTest
  @CsvSource({
    "ROOMCAST_TRUSTED_PROXY_HOPS, -1",
    "ROOMCAST_MAX_PENDING_CONNECTIONS, 0",
    "ROOMCAST_MAX_WRITE_QUEUE_BYTES, 10",
    "ROOMCAST_BODY_TIMEOUT_SECONDS, 0",
    "ROOMCAST_METRICS_ROOM_NAMES, maybe",
    "ROOMCAST_METRICS_TOKEN, short",
    "ROOMCAST_HISTORY_TOTAL_BYTES, 1",
    "ROOMCAST_OUTBOX_TOTAL_BYTES, lots",
  })
  void badEdgeAndMemoryValuesNameTheirVariable(String name, String value) {
    assertThatThrownBy(() -> ServerConfig.fromEnv(Map.of(name, value)))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith(name);
  }

  @Test
  void theSessionVariablesAreReadAndTheSecretIsNeverShown() {
    String secret = "a-resume-secret-of-at-least-32-bytes";
    ServerConfig c =
        ServerConfig.fromEnv(
            Map.of(
                "ROOMCAST_RESUME_SECRET", secret,
                "ROOMCAST_RESUME_GRACE_SECONDS", "9",
                "ROOMCAST_MAX_HISTORY_ON_JOIN", "20"));
    assertThat(c.session().resumeSecret()).isPresent();
    assertThat(c.session().resumeGrace()).isEqualTo(Duration.ofSeconds(9));
    assertThat(c.session().maxHistoryOnJoin()).isEqualTo(20);
    assertThat(c.summary()).contains("resumeSecret=set", "resumeGrace=9s").doesNotContain(secret);
    assertThat(c.session().toString()).doesNotContain(secret);
    assertThat(ServerConfig.defaults().session().summary()).contains("resumeSecret=random");
    assertThatThrownBy(
            () -> ServerConfig.fromEnv(Map.of("ROOMCAST_RESUME_SECRET", "short-but-secret")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("ROOMCAST_RESUME_SECRET")
        .hasMessageContaining("at least 32 bytes")
        .hasMessageNotContaining("short-but-secret");
  }
}
