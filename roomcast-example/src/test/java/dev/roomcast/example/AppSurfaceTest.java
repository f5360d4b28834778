package dev.roomcast.example;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.roomcast.jakarta.testkit.WsClient;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What an app builds on, over real sockets against the example server: history on join, resume
 * tokens with the leave grace, presence over HTTP and WebSocket, and who sent what.
 */
class AppSurfaceTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static TestServer server;

  @BeforeAll
  static void start() throws Exception {
    server =
        TestServer.start(
            Map.of(
                "ROOMCAST_PUBLISH_BURST", "5000",
                "ROOMCAST_RESUME_GRACE_SECONDS", "2",
                "ROOMCAST_JWT_SECRET", Tokens.SECRET,
                "ROOMCAST_JWT_ISSUER", Tokens.ISSUER,
                "ROOMCAST_JWT_AUDIENCE", Tokens.AUDIENCE));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static String token(String sub, String name) {
    return Tokens.token(sub, c -> c.claim("name", name));
  }

  /** A WebSocket URI for {@code pathAndQuery} as {@code sub} (the server requires a token). */
  private static java.net.URI as(String sub, String pathAndQuery) {
    String sep = pathAndQuery.contains("?") ? "&" : "?";
    return server.ws(pathAndQuery + sep + "token=" + token(sub, sub.toUpperCase()));
  }

  private static HttpResponse<String> getAs(String sub, String path) {
    return server.request(
        HttpRequest.newBuilder(server.http(path))
            .header("Authorization", "Bearer " + token(sub, sub.toUpperCase()))
            .GET()
            .build());
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  @Test
  void historyOnJoinIntoABusyRoomHasNoGapAndNoDuplicateAtTheSeam() throws Exception {
    String t = token("writer", "W");
    try (WsClient writer = WsClient.connect(server.ws("/busy?token=" + t))) {
      writer.next("system");
      for (int i = 0; i < 50; i++) {
        writer.send("{\"content\":" + i + "}");
      }
      AtomicBoolean go = new AtomicBoolean(true);
      Thread more =
          new Thread(
              () -> {
                for (int i = 50; i < 400 && go.get(); i++) {
                  writer.send("{\"content\":" + i + "}");
                }
              });
      more.start();
      try (WsClient reader =
          WsClient.connect(server.ws("/busy?history=20&token=" + token("reader", "R")))) {
        JsonNode welcome = reader.next("system");
        long offset = welcome.path("offset").asLong();
        more.join();
        List<Long> offsets = new ArrayList<>();
        while (offsets.isEmpty() || offsets.get(offsets.size() - 1) < 400) {
          JsonNode m = reader.next("message");
          offsets.add(m.path("offset").asLong());
        }
        assertThat(offsets.get(0)).isEqualTo(offset + 1);
        assertThat(offset).isLessThanOrEqualTo(50 - 20 + 350);
        for (int i = 1; i < offsets.size(); i++) {
          assertThat(offsets.get(i)).as("offsets %s", offsets).isEqualTo(offsets.get(i - 1) + 1);
        }
      } finally {
        go.set(false);
      }
    }
  }

  @Test
  void historyBeyondTheMaximumGetsTheMaximumAndBadValuesAre1008() throws Exception {
    try (WsClient w = WsClient.connect(as("w", "/capped"))) {
      w.next("system");
      for (int i = 0; i < 150; i++) {
        w.send("{\"content\":" + i + "}");
      }
      for (int i = 0; i < 150; i++) {
        w.next("message");
      }
      try (WsClient r = WsClient.connect(as("r", "/capped?history=1000"))) {
        assertThat(r.next("system").path("offset").asLong()).isEqualTo(50);
        assertThat(r.next("message").path("content").asInt()).isEqualTo(50);
      }
    }
    for (String bad : List.of("-1", "ten", "99999", "")) {
      try (WsClient c = WsClient.connect(as("c", "/capped?history=" + enc(bad)))) {
        assertThat(c.awaitClose().code()).isEqualTo(1008);
      }
    }
  }

  @Test
  void aResumeTokenKeepsTheClientIdAndCausesNoNoticesWithinTheGrace() throws Exception {
    String alice = token("alice", "Alice");
    try (WsClient watcher = WsClient.connect(as("watcher", "/keep"))) {
      watcher.next("system");
      JsonNode welcome;
      try (WsClient a = WsClient.connect(server.ws("/keep?token=" + alice))) {
        welcome = a.next("system");
        JsonNode join = watcher.next("system");
        assertThat(join.path("message").asText()).isEqualTo("Alice joined the room");
        assertThat(join.path("user").asText()).isEqualTo("alice");
        a.send("{\"content\":\"first\"}");
        JsonNode m = watcher.next("message");
        assertThat(m.path("user").asText()).isEqualTo("alice");
        assertThat(m.path("name").asText()).isEqualTo("Alice");
      }
      String resume =
          "/keep?token="
              + alice
              + "&resume_token="
              + enc(welcome.path("resume_token").asText())
              + "&since=0&epoch="
              + enc(welcome.path("epoch").asText());
      try (WsClient again = WsClient.connect(server.ws(resume))) {
        JsonNode w2 = again.next("system");
        assertThat(w2.path("client_id").asText()).isEqualTo(welcome.path("client_id").asText());
        assertThat(again.next("message").path("content").asText()).isEqualTo("first");
        watcher.assertNoFrameWithin(Duration.ofMillis(2500)); // past the 2 s grace
      }
    }
  }

  @Test
  void aForgedOrOtherRoomTokenGetsANewClientIdAndTheReason() throws Exception {
    JsonNode welcome;
    try (WsClient a = WsClient.connect(as("f", "/forge"))) {
      welcome = a.next("system");
    }
    String real = welcome.path("resume_token").asText();
    String forged = real.substring(0, real.length() - 2) + (real.endsWith("xx") ? "yy" : "xx");
    try (WsClient f = WsClient.connect(as("f", "/forge?resume_token=" + enc(forged)))) {
      JsonNode w = f.next("system");
      assertThat(w.path("client_id").asText()).isNotEqualTo(welcome.path("client_id").asText());
      assertThat(w.path("resume_token_refused").asText()).isEqualTo("invalid");
    }
    try (WsClient o = WsClient.connect(as("f", "/elsewhere?resume_token=" + enc(real)))) {
      assertThat(o.next("system").path("resume_token_refused").asText())
          .isEqualTo("issued for another room");
    }
  }

  @Test
  void presenceOverHttpAndWebSocketListsEveryMember() throws Exception {
    try (WsClient a = WsClient.connect(server.ws("/who?token=" + token("ann", "Ann")));
        WsClient b = WsClient.connect(as("bo", "/who?presence=diff"))) {
      String idA = a.next("system").path("client_id").asText();
      String idB = b.next("system").path("client_id").asText();
      JsonNode p = b.next("presence");
      assertThat(p.path("count").asInt()).isBetween(1, 2);
      HttpResponse<String> r = getAs("x", "/rooms/who/presence");
      assertThat(r.statusCode()).isEqualTo(200);
      JsonNode body = JSON.readTree(r.body());
      assertThat(body.path("room").asText()).isEqualTo("who");
      assertThat(body.path("count").asInt()).isEqualTo(2);
      List<String> ids = new ArrayList<>();
      body.path("members").forEach(m -> ids.add(m.path("client_id").asText()));
      assertThat(ids).containsExactlyInAnyOrder(idA, idB);
      for (JsonNode m : body.path("members")) {
        if (m.path("client_id").asText().equals(idA)) {
          assertThat(m.path("user").asText()).isEqualTo("ann");
          assertThat(m.path("name").asText()).isEqualTo("Ann");
        } else {
          assertThat(m.path("user").asText()).isEqualTo("bo");
        }
        assertThat(m.path("joined_at").asText()).endsWith("Z");
      }
      JsonNode count = JSON.readTree(getAs("x", "/rooms/who/presence?members=false").body());
      assertThat(count.path("count").asInt()).isEqualTo(2);
      assertThat(count.has("members")).isFalse();
      a.send("{\"type\":\"presence\"}");
      assertThat(a.next("presence").path("count").asInt()).isEqualTo(2);
      try (WsClient c = WsClient.connect(server.ws("/who?token=" + token("cy", "Cy")))) {
        c.next("system");
        JsonNode diff = b.next("presence_diff");
        assertThat(diff.path("joins").get(0).path("user").asText()).isEqualTo("cy");
      }
    }
    assertThat(getAs("x", "/rooms/..%2Fx/presence").statusCode()).isEqualTo(400);
    assertThat(getAs("x", "/rooms/who/presence?members=maybe").statusCode()).isEqualTo(400);
    assertThat(server.get("/rooms/who/presence").statusCode()).isEqualTo(401);
  }
}
