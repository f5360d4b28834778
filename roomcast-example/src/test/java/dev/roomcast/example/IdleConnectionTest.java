package dev.roomcast.example;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roomcast.jakarta.testkit.WsClient;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A WebSocket with no traffic at all (server pings off) outlives Grizzly's 30 s HTTP keep-alive
 * idle timeout. Slow by nature: 40 s of silence.
 */
@Tag("slow")
class IdleConnectionTest {
  static final Duration SILENCE = Duration.ofSeconds(40);
  static TestServer server;

  @BeforeAll
  static void start() throws Exception {
    server = TestServer.start(Map.of("ROOMCAST_PING_INTERVAL_SECONDS", "0"));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void anIdleConnectionSurvivesFortySeconds() throws Exception {
    try (WsClient idle = WsClient.connect(server.ws("/idle"))) {
      idle.next("system");
      // Silence: no pings from the server, none from the JDK client, no messages.
      idle.assertNoFrameWithin(SILENCE);
      assertThat(idle.isClosed()).as("closed by the server while idle").isFalse();
      idle.send("{\"content\":\"still here\"}");
      assertThat(idle.next("message").path("content").asText()).isEqualTo("still here");
    }
  }
}
