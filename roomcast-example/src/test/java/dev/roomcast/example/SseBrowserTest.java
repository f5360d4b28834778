package dev.roomcast.example;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.roomcast.redis.RedisServer;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A browser's own {@code EventSource} (headless Chromium) survives a server restart: instance A is
 * stopped while the page is subscribed, messages are published through instance B meanwhile, A
 * comes back on the same port, and the EventSource reconnects by itself with {@code Last-Event-ID}.
 * Redis keeps the history. The page ends with every message once, in order.
 */
@Tag("slow")
class SseBrowserTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static RedisServer redis;
  static TestServer a;
  static TestServer b;

  @BeforeAll
  static void start() throws Exception {
    NodeTools.install();
    redis = RedisServer.start(); // stays up: the history outlives instance A
    a = TestServer.start(Map.of("REDIS_URL", redis.uri()));
    b = TestServer.start(Map.of("REDIS_URL", redis.uri()));
  }

  @AfterAll
  static void stop() {
    for (TestServer s : new TestServer[] {a, b}) {
      if (s != null) {
        s.close();
      }
    }
    if (redis != null) {
      redis.close();
    }
  }

  static void publish(TestServer via, int n) {
    HttpResponse<String> r =
        via.request(
            HttpRequest.newBuilder(via.http("/rooms/browser/messages"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"content\":" + n + "}"))
                .build());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
  }

  @Test
  void eventSourceReconnectsAndResumesByItselfAfterTheServerRestarts() throws Exception {
    String node = NodeTools.require("node", "apt-get install -y nodejs");
    String chromium = NodeTools.chromium();
    NodeTools.copyAsIs("browser.js", "sse-page.js");
    int port = a.port();
    try (NodeTools.Running page =
        NodeTools.start(
            List.of(node, "sse-page.js", "http://127.0.0.1:" + port, "browser", "30"),
            Map.of("CHROMIUM_PATH", chromium, "BROWSER_TEST_TIMEOUT_MS", "120000"))) {
      page.await("the subscription", "OPEN"::equals, Duration.ofSeconds(60));
      for (int i = 1; i <= 10; i++) {
        publish(a, i);
      }
      page.await("10 messages", "COUNT 10"::equals, Duration.ofSeconds(20));

      a.close(); // the stream ends; reconnect attempts are refused while A is down
      for (int i = 11; i <= 20; i++) {
        publish(b, i);
      }
      a = TestServer.start(Map.of("REDIS_URL", redis.uri(), "PORT", Integer.toString(port)));
      page.await("the missed 10", "COUNT 20"::equals, Duration.ofSeconds(30));
      for (int i = 21; i <= 30; i++) {
        publish(i % 2 == 0 ? a : b, i);
      }
      String line = page.await("the result", l -> l.startsWith("RESULT "), Duration.ofSeconds(30));
      JsonNode r = JSON.readTree(line.substring("RESULT ".length()));
      assertThat(r.path("ok").asBoolean()).as(page.text()).isTrue();

      JsonNode got = r.path("got");
      assertThat(got.size()).as(page.text()).isEqualTo(30);
      String epoch = got.get(0).path("epoch").asText();
      for (int i = 0; i < 30; i++) {
        JsonNode m = got.get(i);
        assertThat(m.path("content").asInt()).as("message " + i).isEqualTo(i + 1);
        assertThat(m.path("offset").asLong()).isEqualTo(i + 1);
        assertThat(m.path("id").asText()).isEqualTo(epoch + ":" + (i + 1));
      }
      JsonNode welcomes = r.path("welcomes");
      assertThat(welcomes.size()).as("one welcome per connection").isEqualTo(2);
      assertThat(welcomes.get(1).path("recovered").asBoolean()).isTrue();
      assertThat(welcomes.get(1).path("offset").asLong()).isEqualTo(10);
      assertThat(r.path("opens").asInt()).isEqualTo(2);
    }
  }
}
