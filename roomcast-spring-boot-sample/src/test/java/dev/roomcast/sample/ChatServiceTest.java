package dev.roomcast.sample;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.roomcast.jakarta.testkit.WsClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/** The sample as a user meets it, on one embedded Tomcat with real sockets. */
class ChatServiceTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static ConfigurableApplicationContext app;

  @BeforeAll
  static void start() {
    app = Instances.start();
  }

  @AfterAll
  static void stop() {
    app.close();
  }

  @Test
  void theChatPageAndItsClientAreServed() throws Exception {
    HttpResponse<String> page = Instances.get(app, "/");
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.body()).contains("<title>roomcast chat</title>").contains("chat.js");
    assertThat(Instances.get(app, "/roomcast.js").body()).contains("export function connect");
    assertThat(Instances.get(app, "/chat.js").body()).contains("/api/rooms/");
  }

  @Test
  void theWebSocketEndpointSpeaksTheExamplesProtocol() {
    try (WsClient a = WsClient.connect(Instances.ws(app, "/ws/proto"));
        WsClient b = WsClient.connect(Instances.ws(app, "/ws/proto"))) {
      JsonNode welcome = a.next();
      assertThat(welcome.path("type").asText()).isEqualTo("system");
      assertThat(welcome.path("message").asText()).startsWith("Welcome to room proto.");
      assertThat(welcome.has("client_id") && welcome.has("epoch") && welcome.has("offset"))
          .isTrue();
      assertThat(b.next().path("type").asText()).isEqualTo("system");
      assertThat(a.next().path("message").asText()).endsWith("joined the room");
      b.send("{\"content\":\"over the socket\"}");
      JsonNode m = a.next("message");
      assertThat(m.path("content").asText()).isEqualTo("over the socket");
      assertThat(m.path("client_id").asText())
          .isEqualTo(b.next("message").path("client_id").asText());
      a.send("not json");
      assertThat(a.next("error").path("message").asText()).isEqualTo("Invalid JSON format");
    }
  }

  @Test
  void signedInUsersAppearWithTheirNamesAndGuestsAsGuest() throws Exception {
    try (WsClient member = WsClient.connect(Instances.ws(app, "/ws/names"))) {
      member.next();
      HttpResponse<String> alice =
          Instances.post(
              app,
              "/api/rooms/names/messages",
              "{\"text\":\"hi, I am alice\"}",
              "alice",
              "alice-secret");
      assertThat(alice.statusCode()).isEqualTo(200);
      assertThat(member.next("message").path("content").toString())
          .isEqualTo("{\"user\":\"alice\",\"text\":\"hi, I am alice\"}");
      assertThat(
              Instances.post(app, "/api/rooms/names/messages", "{\"text\":\"anyone\"}", null, null)
                  .statusCode())
          .isEqualTo(200);
      assertThat(member.next("message").path("content").path("user").asText()).isEqualTo("guest");
      assertThat(
              Instances.post(app, "/api/rooms/names/messages", "{\"text\":\"x\"}", "alice", "wrong")
                  .statusCode())
          .isEqualTo(401);
      JsonNode recent = JSON.readTree(Instances.get(app, "/api/rooms/names/messages").body());
      assertThat(recent).hasSize(2);
      assertThat(recent.get(0).path("user").asText()).isEqualTo("alice");
    }
  }

  @Test
  void emptyMessagesAreRefusedAndReachNobody() throws Exception {
    try (WsClient member = WsClient.connect(Instances.ws(app, "/ws/empty"))) {
      member.next();
      HttpResponse<String> r =
          Instances.post(app, "/api/rooms/empty/messages", "{\"text\":\"   \"}", null, null);
      assertThat(r.statusCode()).isEqualTo(400);
      assertThat(JSON.readTree(r.body()).path("error").asText()).isEqualTo("empty message");
      assertThat(
              Instances.post(app, "/api/rooms/bad%20room/messages", "{\"text\":\"x\"}", null, null)
                  .statusCode())
          .isEqualTo(400);
      member.assertNoFrameWithin(Duration.ofMillis(300));
      assertThat(JSON.readTree(Instances.get(app, "/api/rooms/empty/messages").body())).isEmpty();
    }
  }

  @Test
  void readinessReflectsTheHub() throws Exception {
    HttpResponse<String> r = Instances.get(app, "/actuator/health/readiness");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(r.body()).path("status").asText()).isEqualTo("UP");
  }
}
