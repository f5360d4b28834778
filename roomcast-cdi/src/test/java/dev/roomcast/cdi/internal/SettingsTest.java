package dev.roomcast.cdi.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.roomcast.Hub;
import dev.roomcast.Limits;
import dev.roomcast.OutboxLimits;
import dev.roomcast.cdi.RoomcastConfigurationException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SettingsTest {
  private static Settings settings(String... keyValues) {
    Map<String, String> m = new HashMap<>();
    for (int i = 0; i < keyValues.length; i += 2) {
      m.put(keyValues[i], keyValues[i + 1]);
    }
    return Settings.from(name -> Optional.ofNullable(m.get(name)));
  }

  private static void assertRefused(String property, String value, String message) {
    assertThatThrownBy(() -> settings(property, value))
        .isInstanceOfSatisfying(
            RoomcastConfigurationException.class, e -> assertThat(e.property()).isEqualTo(property))
        .hasMessageContaining(message);
  }

  @Test
  void theDefaultsAreTheLibrarys() {
    Settings s = settings();
    assertThat(s.endpoint().path()).isEqualTo("/ws");
    assertThat(s.endpoint().pingInterval()).isEqualTo(Duration.ofSeconds(30));
    assertThat(s.endpoint().pongTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(s.endpoint().refuseAtHandshake()).isTrue();
    assertThat(s.endpoint().originAllowed("https://anywhere.example")).isTrue();
    assertThat(s.sseEnabled()).isTrue();
    assertThat(s.ssePath()).isEqualTo("/events");
    assertThat(s.sse().heartbeat()).isEqualTo(Duration.ofSeconds(15));
    assertThat(s.backplane()).isEqualTo(Settings.Backplane.MEMORY);
    assertThat(s.notices().toString()).isEqualTo("on");
    assertThat(s.limits()).isEqualTo(Limits.defaults());
    assertThat(s.outbox()).isEqualTo(OutboxLimits.defaults());
    assertThat(s.maxConnectionAge()).isNull();
    assertThat(s.drainTime()).isEqualTo(Duration.ofSeconds(5));
  }

  @Test
  void everyPropertyIsRead() {
    Settings s =
        settings(
            "roomcast.websocket.path", "/rooms",
            "roomcast.sse.enabled", "false",
            "roomcast.sse.path", "/sse",
            "roomcast.sse.heartbeat", "PT20S",
            "roomcast.backplane", "REDIS",
            "roomcast.redis.url", "redis://cache:6379",
            "roomcast.notices", "50",
            "roomcast.limits.max-message-bytes", "1000",
            "roomcast.limits.max-json-depth", "8",
            "roomcast.limits.max-content-bytes", "900",
            "roomcast.limits.max-connections", "7",
            "roomcast.limits.max-rooms", "6",
            "roomcast.limits.publish-rate", "2.5",
            "roomcast.limits.publish-burst", "5",
            "roomcast.limits.max-queued-messages", "4",
            "roomcast.outbox.max-frames", "64",
            "roomcast.outbox.max-bytes", "65536",
            "roomcast.keepalive.ping-interval", "0",
            "roomcast.keepalive.pong-timeout", "3s",
            "roomcast.max-connection-age", "55m",
            "roomcast.max-connection-age-jitter", "5m",
            "roomcast.drain.time", "8s",
            "roomcast.allowed-origins", "https://chat.example.com",
            "roomcast.refuse-at-handshake", "false");
    assertThat(s.endpoint().path()).isEqualTo("/rooms");
    assertThat(s.endpoint().keepaliveEnabled()).isFalse();
    assertThat(s.endpoint().pongTimeout()).isEqualTo(Duration.ofSeconds(3));
    assertThat(s.endpoint().refuseAtHandshake()).isFalse();
    assertThat(s.endpoint().originAllowed("https://evil.example")).isFalse();
    assertThat(s.endpoint().originAllowed("https://chat.example.com")).isTrue();
    assertThat(s.sseEnabled()).isFalse();
    assertThat(s.ssePath()).isEqualTo("/sse");
    assertThat(s.sse().heartbeat()).isEqualTo(Duration.ofSeconds(20));
    assertThat(s.backplane()).isEqualTo(Settings.Backplane.REDIS);
    assertThat(s.redisUrl()).isEqualTo("redis://cache:6379");
    assertThat(s.notices().appliesTo(50)).isTrue();
    assertThat(s.notices().appliesTo(51)).isFalse();
    assertThat(s.limits()).isEqualTo(new Limits(1000, 8, 900, 7, 6, 2.5, 5, 4));
    assertThat(s.outbox()).isEqualTo(new OutboxLimits(64, 65536));
    assertThat(s.maxConnectionAge()).isEqualTo(Duration.ofMinutes(55));
    assertThat(s.drainTime()).isEqualTo(Duration.ofSeconds(8));
    assertThat(s.toString()).doesNotContain("redis://");
    try (Hub hub = s.applyTo(Hub.builder()).build()) {
      assertThat(hub.limits()).isEqualTo(s.limits());
      assertThat(hub.outboxLimits()).isEqualTo(s.outbox());
    }
  }

  @Test
  void badValuesAreRefusedNamingTheProperty() {
    assertRefused("roomcast.limits.max-connections", "lots", "must be a whole number, was 'lots'");
    assertRefused("roomcast.limits.max-rooms", "0", "must be at least 1, was 0");
    assertRefused("roomcast.limits.max-message-bytes", "3000000000", "must be at most");
    assertRefused("roomcast.limits.publish-rate", "-1", "must be a positive number");
    assertRefused("roomcast.sse.enabled", "yes", "must be true or false, was 'yes'");
    assertRefused("roomcast.backplane", "kafka", "must be memory or redis, was 'kafka'");
    assertRefused("roomcast.notices", "sometimes", "must be on, off or a room size");
    assertRefused("roomcast.websocket.path", "ws", "must start with '/'");
    assertRefused("roomcast.sse.path", "/events/", "must be a plain path");
    assertRefused("roomcast.keepalive.pong-timeout", "0", "pongTimeout must be at least 1 ms");
    assertRefused("roomcast.sse.heartbeat", "5ms", "at least 10 ms");
    assertRefused("roomcast.drain.time", "5", "must be a duration with a unit");
    assertRefused("roomcast.http-publish.enabled", "true", "not supported by roomcast-cdi");
    assertRefused("roomcast.session.resume-secret", "too-short", "at least 32 bytes, was 9 bytes");
  }

  @Test
  void theSessionPropertiesReachTheHubAndTheSecretIsNeverShown() {
    Settings s =
        settings(
            "roomcast.session.resume-secret", "a-secret-that-is-at-least-32-bytes-long",
            "roomcast.session.resume-grace", "PT2S",
            "roomcast.session.max-history-on-join", "7");
    try (dev.roomcast.Hub hub = s.applyTo(dev.roomcast.Hub.builder()).build()) {
      assertThat(hub.maxHistoryOnJoin()).isEqualTo(7);
    }
    assertThat(s.toString()).doesNotContain("a-secret-that");
    assertThatThrownBy(() -> settings("roomcast.session.resume-secret", "too-short"))
        .hasMessageNotContaining("too-short");
  }

  @Test
  void redisNeedsAUrlAndTheJitterMustBeBelowTheAge() {
    assertThatThrownBy(() -> settings("roomcast.backplane", "redis"))
        .isInstanceOfSatisfying(
            RoomcastConfigurationException.class,
            e -> assertThat(e.property()).isEqualTo("roomcast.redis.url"));
    assertThatThrownBy(
            () ->
                settings(
                    "roomcast.max-connection-age", "10m",
                    "roomcast.max-connection-age-jitter", "10m"))
        .isInstanceOfSatisfying(
            RoomcastConfigurationException.class,
            e -> assertThat(e.property()).isEqualTo("roomcast.max-connection-age-jitter"));
    assertThatThrownBy(() -> settings("roomcast.sse.path", "/ws", "roomcast.websocket.path", "/ws"))
        .hasMessageContaining("must differ from roomcast.websocket.path");
  }

  @Test
  void blankValuesMeanUnsetAsInMicroProfileConfig() {
    Settings s = settings("roomcast.websocket.path", " ", "roomcast.allowed-origins", "");
    assertThat(s.endpoint().path()).isEqualTo("/ws");
    assertThat(s.endpoint().originAllowed("https://x.example")).isTrue();
  }
}
