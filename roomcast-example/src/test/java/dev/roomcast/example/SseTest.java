package dev.roomcast.example;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.roomcast.jakarta.testkit.WsClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /events/{room}} on the example server with a real HTTP client reading the stream:
 * framing, ids, heartbeats, resume with {@code Last-Event-ID} or the query, refusals, metrics, and
 * a subscriber that stops reading.
 */
class SseTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static TestServer server;

  @BeforeAll
  static void start() throws Exception {
    server =
        TestServer.start(
            Map.of(
                "ROOMCAST_SSE_HEARTBEAT_SECONDS", "1",
                "ROOMCAST_OUTBOX_MAX_FRAMES", "64",
                "ROOMCAST_PUBLISH_BURST", "1000"));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static JsonNode publish(String room, String content) {
    HttpResponse<String> r =
        server.request(
            HttpRequest.newBuilder(server.http("/rooms/" + room + "/messages"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"content\":" + content + "}"))
                .build());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    try {
      return JSON.readTree(r.body());
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void theStreamStartsWithRetryAndTheWelcomeThenCarriesMessagesWithIds() throws Exception {
    try (SseClient sse = SseClient.open(server.http("/events/basics"));
        WsClient ws = WsClient.connect(server.ws("/basics"))) {
      assertThat(sse.status()).isEqualTo(200);
      assertThat(sse.contentType()).startsWith("text/event-stream");
      assertThat(sse.response.headers().firstValue("Cache-Control")).hasValue("no-cache");
      SseClient.Event welcome = sse.next();
      assertThat(sse.lines.get(0)).isEqualTo("retry: 1000");
      JsonNode w = welcome.json();
      assertThat(w.path("type").asText()).isEqualTo("system");
      assertThat(w.path("message").asText()).startsWith("Welcome to room basics. You are user-");
      assertThat(welcome.id())
          .isEqualTo(w.path("epoch").asText() + ":" + w.path("offset").asLong());
      ws.next("system");

      JsonNode published = publish("basics", "{\"text\":\"hi\"}");
      SseClient.Event m = sse.next("message");
      String epoch = published.path("epoch").asText();
      assertThat(m.id()).isEqualTo(epoch + ":" + published.path("offset").asLong());
      assertThat(m.json().path("content").path("text").asText()).isEqualTo("hi");
      assertThat(m.json().path("client_id").asText()).isEqualTo("server");
      // the same JSON a WebSocket member gets, byte for byte
      JsonNode wsFrame = ws.next("message");
      assertThat(m.data()).isEqualTo(JSON.writeValueAsString(wsFrame));
      assertThat(published.path("room").asText()).isEqualTo("basics");
    }
  }

  @Test
  void aQuietStreamGetsHeartbeatComments() {
    try (SseClient sse = SseClient.open(server.http("/events/quiet"))) {
      sse.next("system");
      TestServer.await(
          "two heartbeats",
          Duration.ofSeconds(5),
          () -> sse.comments.stream().filter(": heartbeat"::equals).count() >= 2);
    }
  }

  @Test
  void subscribersAreRoomMembersCountedInMetrics() throws Exception {
    try (SseClient sse = SseClient.open(server.http("/events/counted"))) {
      sse.next("system");
      JsonNode m = server.metrics();
      assertThat(server.server.hub().roomSize("counted")).isEqualTo(1);
      assertThat(m.path("roomcast").path("sse_streams").asInt()).isGreaterThanOrEqualTo(1);
    }
  }

  @Test
  void reconnectingWithLastEventIdGetsExactlyWhatWasMissedThenLiveTraffic() throws Exception {
    String lastId;
    try (SseClient sse = SseClient.open(server.http("/events/resume"))) {
      sse.next("system");
      for (int i = 1; i <= 3; i++) {
        publish("resume", Integer.toString(i));
      }
      List<SseClient.Event> got = sse.messages(3);
      lastId = got.get(2).id();
    }
    for (int i = 4; i <= 10; i++) {
      publish("resume", Integer.toString(i));
    }
    try (SseClient sse =
        SseClient.open(server.http("/events/resume"), Map.of("Last-Event-ID", lastId))) {
      JsonNode w = sse.next("system").json();
      assertThat(w.path("recovered").asBoolean()).isTrue();
      List<SseClient.Event> missed = sse.messages(7);
      assertThat(missed)
          .extracting(e -> e.json().path("content").asInt())
          .containsExactly(4, 5, 6, 7, 8, 9, 10);
      String epoch = lastId.substring(0, lastId.indexOf(':'));
      for (int i = 0; i < missed.size(); i++) {
        assertThat(missed.get(i).id()).isEqualTo(epoch + ":" + (4 + i));
      }
      publish("resume", "11");
      assertThat(sse.next("message").json().path("content").asInt()).isEqualTo(11);
      sse.assertNoEventWithin(Duration.ofMillis(300));
    }
  }

  @Test
  void theWelcomeIdCoversMessagesPublishedBeforeTheFirstOneArrived() throws Exception {
    String welcomeId;
    try (SseClient sse = SseClient.open(server.http("/events/early"))) {
      welcomeId = sse.next("system").id();
      assertThat(welcomeId).isNotNull();
    }
    publish("early", "\"while away\"");
    try (SseClient sse =
        SseClient.open(server.http("/events/early"), Map.of("Last-Event-ID", welcomeId))) {
      assertThat(sse.next("system").json().path("recovered").asBoolean()).isTrue();
      assertThat(sse.next("message").json().path("content").asText()).isEqualTo("while away");
    }
  }

  @Test
  void theQueryResumesTooButLastEventIdWins() throws Exception {
    JsonNode p = null;
    for (int i = 1; i <= 5; i++) {
      p = publish("query", Integer.toString(i));
    }
    String epoch = p.path("epoch").asText();
    try (SseClient sse = SseClient.open(server.http("/events/query?since=2&epoch=" + epoch))) {
      assertThat(sse.next("system").json().path("recovered").asBoolean()).isTrue();
      assertThat(sse.messages(3))
          .extracting(e -> e.json().path("content").asInt())
          .containsExactly(3, 4, 5);
    }
    try (SseClient sse =
        SseClient.open(
            server.http("/events/query?since=1&epoch=" + epoch),
            Map.of("Last-Event-ID", epoch + ":4"))) {
      assertThat(sse.next("system").json().path("offset").asLong()).isEqualTo(4);
      assertThat(sse.next("message").json().path("content").asInt()).isEqualTo(5);
    }
    try (SseClient sse =
        SseClient.open(server.http("/events/query"), Map.of("Last-Event-ID", "gone123:4"))) {
      JsonNode w = sse.next("system").json();
      assertThat(w.path("recovered").asBoolean()).isFalse();
      assertThat(w.path("epoch").asText()).isEqualTo(epoch);
      assertThat(w.path("offset").asLong()).isZero();
      assertThat(sse.messages(5))
          .extracting(e -> e.json().path("content").asInt())
          .containsExactly(1, 2, 3, 4, 5);
    }
  }

  @Test
  void refusalsAreAnsweredWithAStatusAndJsonBeforeStreaming() throws Exception {
    for (String[] c :
        List.of(
            new String[] {"/events/.hidden", "", "invalid room name"},
            new String[] {"/events/r", "garbage", "Last-Event-ID"},
            new String[] {"/events/r?since=3", "", "both"},
            new String[] {"/events/r?since=x&epoch=e", "", "since"})) {
      Map<String, String> headers = c[1].isEmpty() ? Map.of() : Map.of("Last-Event-ID", c[1]);
      try (SseClient sse = SseClient.open(server.http(c[0]), headers)) {
        assertThat(sse.status()).as(c[0]).isEqualTo(400);
        assertThat(sse.contentType()).startsWith("application/json");
        assertThat(JSON.readTree(sse.body()).path("error").asText()).contains(c[2]);
      }
    }
  }

  @Test
  void aMalformedQueryStringIsAJson400() throws Exception {
    // raw, since java.net.URI refuses to build such a request
    try (java.net.Socket s = new java.net.Socket("127.0.0.1", server.port())) {
      s.setSoTimeout(10_000);
      s.getOutputStream()
          .write(
              "GET /events/r?since=%zz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
                  .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      String answer =
          new String(s.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      assertThat(answer).startsWith("HTTP/1.1 400").contains("application/json");
      assertThat(answer).endsWith("{\"error\":\"malformed query string\"}");
    }
  }

  @Test
  void aSubscriberThatStopsReadingIsCutLooseAndTheRoomGoesOn() throws Exception {
    // a raw socket that sends the request and never reads: the server's writes back up until
    // the outbox (64 frames here) overflows
    try (java.net.Socket stalled = new java.net.Socket();
        SseClient reader = SseClient.open(server.http("/events/stall"))) {
      stalled.setReceiveBufferSize(4096); // before connecting, so the window stays small
      stalled.connect(new java.net.InetSocketAddress("127.0.0.1", server.port()));
      stalled
          .getOutputStream()
          .write(
              "GET /events/stall HTTP/1.1\r\nHost: x\r\n\r\n"
                  .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      reader.next("system");
      TestServer.await(
          "both members", Duration.ofSeconds(5), () -> server.server.hub().roomSize("stall") == 2);
      long slowBefore = server.server.hub().metrics().slowConsumersClosed();
      String big = "\"" + "x".repeat(30_000) + "\"";
      int sent = 0;
      while (server.server.hub().roomSize("stall") == 2 && sent < 3_000) {
        dev.roomcast.Published p =
            server.server.hub().publish("stall", big).toCompletableFuture().get();
        sent++;
        // the reading subscriber gets every message, in order, while the other one backs up
        assertThat(reader.next("message").json().path("offset").asLong()).isEqualTo(p.offset());
      }
      assertThat(server.server.hub().roomSize("stall")).as("cut loose after " + sent).isEqualTo(1);
      assertThat(server.server.hub().metrics().slowConsumersClosed()).isGreaterThan(slowBefore);
      assertThat(sent).as("it took more than the outbox").isGreaterThan(30);
    }
  }
}
