package dev.roomcast.example;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.roomcast.jakarta.testkit.WsClient;
import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code POST /rooms/{room}/messages} on the example server. */
class HttpPublishTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static TestServer server;

  @BeforeAll
  static void start() throws Exception {
    server = TestServer.start(Map.of("ROOMCAST_MAX_MESSAGE_BYTES", "1024"));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static HttpResponse<String> post(String room, HttpRequest.BodyPublisher body) {
    return server.request(
        HttpRequest.newBuilder(server.http("/rooms/" + room + "/messages"))
            .header("Content-Type", "application/json")
            .POST(body)
            .build());
  }

  static HttpResponse<String> post(String room, String body) {
    return post(room, HttpRequest.BodyPublishers.ofString(body));
  }

  static String error(HttpResponse<String> r) throws Exception {
    assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
    return JSON.readTree(r.body()).path("error").asText();
  }

  @Test
  void aPublishReachesWebSocketAndSseMembersAlikeAndAnswersWhereItLanded() throws Exception {
    try (WsClient ws = WsClient.connect(server.ws("/both"));
        SseClient sse = SseClient.open(server.http("/events/both"))) {
      ws.next("system");
      sse.next("system");
      HttpResponse<String> r = post("both", "{\"content\":{\"alert\":[1,2]},\"ignored\":true}");
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      JsonNode answer = JSON.readTree(r.body());
      assertThat(answer.path("room").asText()).isEqualTo("both");
      assertThat(answer.path("offset").asLong()).isEqualTo(1);
      String epoch = answer.path("epoch").asText();
      assertThat(epoch).isNotEmpty();
      assertThat(answer.size()).isEqualTo(3);

      JsonNode viaWs = ws.next("message");
      JsonNode viaSse = sse.next("message").json();
      for (JsonNode m : List.of(viaWs, viaSse)) {
        assertThat(m.path("client_id").asText()).isEqualTo("server");
        assertThat(m.path("content")).isEqualTo(JSON.readTree("{\"alert\":[1,2]}"));
        assertThat(m.path("offset").asLong()).isEqualTo(1);
        assertThat(m.path("epoch").asText()).isEqualTo(epoch);
      }
      // a missing content is "" (as over WebSocket)
      assertThat(post("both", "{}").statusCode()).isEqualTo(200);
      assertThat(ws.next("message").path("content").asText()).isEmpty();
    }
  }

  @Test
  void badBodiesAndRoomNamesAre400() throws Exception {
    SseClient watcher = SseClient.open(server.http("/events/bad"));
    watcher.next("system");
    assertThat(error(post("bad", "not json"))).isEqualTo("Invalid JSON format");
    assertThat(error(post("bad", "{\"content\":1} trailing"))).isEqualTo("Invalid JSON format");
    assertThat(error(post("bad", ""))).isEqualTo("Invalid JSON format");
    assertThat(error(post("bad", "[1,2]"))).startsWith("Message must be a JSON object");
    assertThat(error(post("bad", "\"text\""))).startsWith("Message must be a JSON object");
    assertThat(error(post("bad", "{\"content\":" + "[".repeat(40) + "]".repeat(40) + "}")))
        .isEqualTo("JSON nested too deeply");
    HttpResponse<String> room = post(".dot", "{\"content\":1}");
    assertThat(room.statusCode()).isEqualTo(400);
    assertThat(error(room)).startsWith("invalid room name");
    watcher.assertNoEventWithin(java.time.Duration.ofMillis(300)); // nothing was published
    watcher.close();
  }

  @Test
  void aBodyOverTheMessageLimitIs413WithOrWithoutContentLength() throws Exception {
    String big = "{\"content\":\"" + "x".repeat(1100) + "\"}";
    HttpResponse<String> withLength = post("big", big);
    assertThat(withLength.statusCode()).isEqualTo(413);
    assertThat(error(withLength)).isEqualTo("message too large (max 1024 bytes)");
    // chunked: the server reads at most limit + 1 bytes and answers
    HttpResponse<String> chunked =
        post(
            "big",
            HttpRequest.BodyPublishers.ofInputStream(
                () ->
                    new ByteArrayInputStream(
                        ("{\"content\":\"" + "y".repeat(5_000) + "\"}").getBytes())));
    assertThat(chunked.statusCode()).isEqualTo(413);
    // exactly at the limit is fine
    String atLimit = "{\"content\":\"" + "z".repeat(1024 - 14) + "\"}";
    assertThat(atLimit.length()).isEqualTo(1024);
    assertThat(post("big", atLimit).statusCode()).isEqualTo(200);
  }

  @Test
  void onlyPostIsAllowed() {
    HttpResponse<String> r = server.get("/rooms/x/messages");
    assertThat(r.statusCode()).isEqualTo(405);
    assertThat(r.headers().firstValue("Allow")).hasValue("POST");
  }
}
