package dev.roomcast.example;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The chat page (on /roomcast.js) in two headless Chromium tabs across a server restart: SIGTERM's
 * drain (1012), the server down while another node publishes into Redis and both tabs type, the
 * server back on the same port. Both tabs reconnect, resume and show the same messages, each once,
 * in offset order. Screenshots: {@code target/test-artifacts/restart-tab-A.png} and {@code -B.png}.
 */
@Tag("slow")
class BrowserRestartTest {
  static RestartableServer servers;

  @BeforeAll
  static void start() throws Exception {
    NodeTools.install();
    servers = RestartableServer.start(Map.of("ROOMCAST_DRAIN_SECONDS", "0"));
  }

  @AfterAll
  static void stop() {
    if (servers != null) {
      servers.close();
    }
  }

  @Test
  void twoTabsReconnectAfterARestartAndLoseNothing() throws Exception {
    String node = NodeTools.require("node", "apt-get install -y nodejs");
    String chromium = NodeTools.chromium();
    NodeTools.copyAsIs("browser.js", "restart-page.js");
    for (String tab : List.of("A", "B")) {
      Files.deleteIfExists(NodeTools.ARTIFACTS.resolve("restart-tab-" + tab + ".png"));
    }
    String httpBase = "http://127.0.0.1:" + servers.port();
    try (NodeTools.Running page =
        NodeTools.start(
            List.of(node, "restart-page.js", httpBase, NodeTools.ARTIFACTS.toString()),
            Map.of("CHROMIUM_PATH", chromium, "BROWSER_TEST_TIMEOUT_MS", "110000"))) {
      page.await("STEP stop-server", l -> l.equals("STEP stop-server"), Duration.ofSeconds(60));
      servers.server().shutdownGracefully();
      for (int i = 1; i <= 3; i++) {
        servers
            .otherNode
            .publish("restart-room", "\"node: " + i + " while the server was down\"")
            .toCompletableFuture()
            .get(10, TimeUnit.SECONDS);
      }
      answer(page, "stopped");

      page.await("STEP start-server", l -> l.equals("STEP start-server"), Duration.ofSeconds(30));
      servers.startAgain();
      answer(page, "started");

      assertThat(page.process.waitFor(100, TimeUnit.SECONDS)).as(page.text()).isTrue();
      NodeTools.Output out = new NodeTools.Output(page.process.exitValue(), page.lines());
      JsonNode r = SeedClientsTest.result(out);
      assertThat(r.path("ok").asBoolean()).as(out.text()).isTrue();
      assertThat(r.path("queued").asInt())
          .as("A's message waited in the offline queue")
          .isEqualTo(1);

      List<String> textsA = texts(r.path("A").path("messages"));
      for (String tab : List.of("A", "B")) {
        JsonNode t = r.path(tab);
        List<Long> offsets = new ArrayList<>();
        t.path("messages").forEach(m -> offsets.add(m.get(0).asLong()));
        assertThat(offsets)
            .as(tab + ": every offset once, in order")
            .containsExactlyElementsOf(LongStream.rangeClosed(1, offsets.size()).boxed().toList());
        assertThat(texts(t.path("messages"))).as(tab).isEqualTo(textsA);
        assertThat(t.path("resumedFrom").asText()).contains("?since=").contains("&epoch=");
        assertThat(t.path("caughtUp").asInt())
            .as(tab + " resumed with recovered: true")
            .isPositive();
      }
      assertThat(textsA)
          .containsExactlyInAnyOrder(
              "A: before the restart",
              "B: before the restart",
              "node: 1 while the server was down",
              "node: 2 while the server was down",
              "node: 3 while the server was down",
              "A: while the server was down",
              "B: while the server was down",
              "B: after the restart");
    }
    for (String tab : List.of("A", "B")) {
      Path shot = NodeTools.ARTIFACTS.resolve("restart-tab-" + tab + ".png");
      assertThat(shot).exists();
    }
  }

  private static List<String> texts(JsonNode messages) {
    List<String> out = new ArrayList<>();
    messages.forEach(m -> out.add(m.get(1).asText()));
    return out;
  }

  private static void answer(NodeTools.Running page, String line) throws IOException {
    OutputStream in = page.process.getOutputStream();
    in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
    in.flush();
  }
}
