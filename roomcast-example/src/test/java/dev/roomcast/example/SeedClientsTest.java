package dev.roomcast.example;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.roomcast.jakarta.testkit.WsClient;
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
 * The seed document's own clients, unchanged but for their URL, against roomcast: its Node client
 * (with the {@code ws} package) and its browser page (in Debian's headless Chromium through
 * playwright-core). Needs node, npm and chromium; fails, never skips, when they are missing.
 */
@Tag("slow")
class SeedClientsTest {
  /** The URL the seed's clients were written for; the only thing the tests change. */
  static final String SEED_URL = "wss://ws-server-abc123-uc.a.run.app";

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
  void theSeedNodeClientReceivesAndSends() throws Exception {
    String node = NodeTools.require("node", "apt-get install -y nodejs");
    NodeTools.copyScript(
        "client.js", "seed-client.js", Map.of(SEED_URL, "ws://127.0.0.1:" + server.port()));
    try (WsClient java = WsClient.connect(server.ws("/general"))) {
      String javaId = java.next("system").path("client_id").asText();
      try (NodeTools.Running client = NodeTools.start(List.of(node, "seed-client.js"), Map.of())) {
        client.await(
            "'Connected'", l -> l.equals("Connected to WebSocket server"), Duration.ofSeconds(15));
        String welcome =
            client.await(
                "the welcome", l -> l.contains("Welcome to room general."), Duration.ofSeconds(10));
        assertThat(welcome).startsWith("[system] user-");
        String nodeId = java.next("system").path("message").asText().split(" ")[0];
        assertThat(welcome).contains("You are " + nodeId + ".");

        java.send("{\"content\":\"hello from java\"}");
        client.await(
            "the Java client's message",
            l -> l.equals("[message] " + javaId + ": hello from java"),
            Duration.ofSeconds(10));

        // the seed client sends a ping message every 5 s
        JsonNode ping = java.next("message");
        while (!ping.path("client_id").asText().equals(nodeId)) {
          ping = java.next("message");
        }
        assertThat(ping.path("content").asText()).startsWith("Ping from Node.js client at ");
        client.await(
            "its own message echoed",
            l -> l.startsWith("[message] " + nodeId + ": Ping from Node.js client at "),
            Duration.ofSeconds(10));
      }
      JsonNode leave = java.next("system");
      assertThat(leave.path("message").asText()).endsWith(" left the room");
    }
  }

  @Test
  void theSeedBrowserPageWorksInHeadlessChromium() throws Exception {
    String node = NodeTools.require("node", "apt-get install -y nodejs");
    String chromium = NodeTools.chromium();
    Path page =
        NodeTools.copyScript(
            "seed-index.html",
            "seed-index.html",
            Map.of(SEED_URL, "ws://127.0.0.1:" + server.port()));
    NodeTools.copyAsIs("browser.js", "seed-page.js");
    Path screenshot = NodeTools.ARTIFACTS.resolve("seed-page.png");
    Files.deleteIfExists(screenshot);
    try (WsClient java = WsClient.connect(server.ws("/general"))) {
      java.next("system");
      NodeTools.Output out =
          NodeTools.run(
              List.of(
                  node,
                  "seed-page.js",
                  page.toUri().toString(),
                  screenshot.toString(),
                  "hello from chromium"),
              Map.of("CHROMIUM_PATH", chromium),
              Duration.ofSeconds(90));
      JsonNode result = result(out);
      assertThat(result.path("ok").asBoolean()).as(out.text()).isTrue();
      assertThat(result.path("lines").toString())
          .contains("Connected to chat room")
          .contains("Welcome to room general")
          .contains(": hello from chromium");
      // the Java member of the room saw the browser's message
      JsonNode m = java.next("message");
      assertThat(m.path("content").asText()).isEqualTo("hello from chromium");
    }
    assertThat(screenshot).exists();
  }

  static JsonNode result(NodeTools.Output out) throws Exception {
    String line =
        out.lines().stream()
            .filter(l -> l.startsWith("RESULT "))
            .reduce((a, b) -> b)
            .orElseThrow(() -> new AssertionError("no RESULT line; output:\n" + out.text()));
    return new ObjectMapper().readTree(line.substring("RESULT ".length()));
  }
}
