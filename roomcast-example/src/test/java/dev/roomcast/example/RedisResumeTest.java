package dev.roomcast.example;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.roomcast.jakarta.testkit.WsClient;
import dev.roomcast.redis.RedisServer;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two example servers sharing one {@code redis-server} (in this JVM): a client that dropped from
 * instance A resumes on instance B and gets exactly what it missed — over WebSocket and over SSE —
 * and HTTP publishes on one instance reach members on the other.
 */
class RedisResumeTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static RedisServer redis;
  static TestServer a;
  static TestServer b;

  @BeforeAll
  static void start() throws Exception {
    redis = RedisServer.start();
    Map<String, String> env = Map.of("REDIS_URL", redis.uri(), "ROOMCAST_PUBLISH_BURST", "1000");
    a = TestServer.start(env);
    b = TestServer.start(env);
  }

  @AfterAll
  static void stop() {
    if (a != null) {
      a.close();
    }
    if (b != null) {
      b.close();
    }
    if (redis != null) {
      redis.close();
    }
  }

  static JsonNode publish(TestServer via, String room, String content) throws Exception {
    HttpResponse<String> r =
        via.request(
            HttpRequest.newBuilder(via.http("/rooms/" + room + "/messages"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"content\":" + content + "}"))
                .build());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return JSON.readTree(r.body());
  }

  @Test
  void aWebSocketClientDroppedFromAResumesOnBWithExactlyWhatItMissed() throws Exception {
    String epoch;
    long offset;
    try (WsClient onA = WsClient.connect(a.ws("/hop"))) {
      onA.next("system");
      publish(a, "hop", "\"first\"");
      JsonNode m = onA.next("message");
      epoch = m.path("epoch").asText();
      offset = m.path("offset").asLong();
    }
    // away: 25 published on A and 25 on B
    for (int i = 0; i < 50; i++) {
      publish(i % 2 == 0 ? a : b, "hop", Integer.toString(i));
    }
    try (WsClient onB = WsClient.connect(b.ws("/hop?since=" + offset + "&epoch=" + epoch))) {
      JsonNode w = onB.next();
      assertThat(w.path("recovered").asBoolean()).isTrue();
      for (int i = 0; i < 50; i++) {
        JsonNode m = onB.next();
        assertThat(m.path("type").asText()).isEqualTo("message");
        assertThat(m.path("content").asInt()).isEqualTo(i);
        assertThat(m.path("offset").asLong()).isEqualTo(offset + 1 + i);
        assertThat(m.path("epoch").asText()).isEqualTo(epoch);
      }
      publish(a, "hop", "\"live from A\"");
      JsonNode live = onB.next("message");
      assertThat(live.path("content").asText()).isEqualTo("live from A");
      assertThat(live.path("offset").asLong()).isEqualTo(offset + 51);
      onB.assertNoFrameWithin(Duration.ofMillis(200));
    }
    try (WsClient unknown = WsClient.connect(b.ws("/hop?since=3&epoch=zzzzzzzzzz"))) {
      assertThat(unknown.next().path("recovered").asBoolean()).isFalse();
    }
  }

  @Test
  void anSseSubscriberDroppedFromAResumesOnBWithLastEventId() throws Exception {
    String lastId;
    try (SseClient onA = SseClient.open(a.http("/events/ssehop"))) {
      onA.next("system");
      publish(b, "ssehop", "0");
      lastId = onA.next("message").id();
    }
    for (int i = 1; i <= 10; i++) {
      publish(i % 2 == 0 ? a : b, "ssehop", Integer.toString(i));
    }
    try (SseClient onB =
        SseClient.open(b.http("/events/ssehop"), Map.of("Last-Event-ID", lastId))) {
      assertThat(onB.next("system").json().path("recovered").asBoolean()).isTrue();
      List<SseClient.Event> missed = onB.messages(10);
      assertThat(missed)
          .extracting(e -> e.json().path("content").asInt())
          .containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9, 10);
      assertThat(missed.get(9).id()).isEqualTo(missed.get(9).json().path("epoch").asText() + ":11");
      onB.assertNoEventWithin(Duration.ofMillis(200));
    }
  }

  @Test
  void httpPublishOnOneInstanceReachesWebSocketAndSseMembersOnBoth() throws Exception {
    try (WsClient wsA = WsClient.connect(a.ws("/fan"));
        WsClient wsB = WsClient.connect(b.ws("/fan"));
        SseClient sseA = SseClient.open(a.http("/events/fan"));
        SseClient sseB = SseClient.open(b.http("/events/fan"))) {
      wsA.next("system");
      wsB.next("system");
      sseA.next("system");
      sseB.next("system");
      JsonNode p = publish(b, "fan", "{\"n\":7}");
      for (WsClient ws : List.of(wsA, wsB)) {
        JsonNode m = ws.next("message");
        assertThat(m.path("content").path("n").asInt()).isEqualTo(7);
        assertThat(m.path("offset").asLong()).isEqualTo(p.path("offset").asLong());
      }
      for (SseClient sse : List.of(sseA, sseB)) {
        SseClient.Event e = sse.next("message");
        assertThat(e.json().path("content").path("n").asInt()).isEqualTo(7);
        assertThat(e.id()).isEqualTo(p.path("epoch").asText() + ":" + p.path("offset").asLong());
      }
    }
  }
}
