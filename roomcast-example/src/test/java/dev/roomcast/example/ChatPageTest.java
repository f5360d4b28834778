package dev.roomcast.example;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * roomcast's chat page (built on {@code /roomcast.js}) in headless Chromium: two tabs talk; a tab
 * that lost its connection reconnects with backoff, resumes with since/epoch and shows what it
 * missed. Saves a screenshot to {@code target/test-artifacts/chat-page.png}.
 */
@Tag("slow")
class ChatPageTest {
  static TestServer server;

  @BeforeAll
  static void start() throws Exception {
    NodeTools.install();
    server = TestServer.start();
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void twoTabsChatAndADroppedTabResumesWithoutLoss() throws Exception {
    String node = NodeTools.require("node", "apt-get install -y nodejs");
    String chromium = NodeTools.chromium();
    NodeTools.copyAsIs("browser.js", "chat-page.js");
    Path screenshot = NodeTools.ARTIFACTS.resolve("chat-page.png");
    Files.deleteIfExists(screenshot);
    NodeTools.Output out =
        NodeTools.run(
            List.of(
                node, "chat-page.js", "http://127.0.0.1:" + server.port(), screenshot.toString()),
            Map.of("CHROMIUM_PATH", chromium),
            Duration.ofSeconds(120));
    JsonNode r = SeedClientsTest.result(out);
    assertThat(r.path("ok").asBoolean()).as(out.text()).isTrue();

    String epoch = r.path("positionBefore").path("epoch").asText();
    long offset = r.path("positionBefore").path("offset").asLong();
    assertThat(offset).isEqualTo(1);
    assertThat(r.path("resumedFrom").asText())
        .isEqualTo("ws://127.0.0.1:" + server.port() + "/lobby?since=1&epoch=" + epoch);
    assertThat(r.path("recovered").asInt()).isEqualTo(1);

    JsonNode backoff = r.path("backoff");
    assertThat(backoff.path("a1max").asLong()).isBetween(990L, 999L);
    assertThat(backoff.path("a4max").asLong()).isBetween(7990L, 7999L);
    assertThat(backoff.path("a11max").asLong()).isBetween(29990L, 29999L);
    assertThat(backoff.path("min").asLong()).isZero();

    JsonNode metrics = server.metrics();
    assertThat(metrics.path("roomcast").path("resumes_recovered").asLong())
        .isGreaterThanOrEqualTo(1);
    assertThat(screenshot).exists();
  }
}
