package dev.roomcast.containers;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.roomcast.jakarta.testkit.RawWebSocket;
import dev.roomcast.jakarta.testkit.WsClient;
import java.io.IOException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The sample WAR, unchanged, in a real Payara Micro 6 (Jakarta EE 10) process: the seed protocol
 * over real sockets, and what roomcast-cdi adds there: MicroProfile Health readiness, the injected
 * hub behind a JAX-RS resource, SSE, the chat page, and the server's authenticated principal as the
 * roomcast identity that a CDI room authorizer sees.
 */
@Tag("payara")
class PayaraSeedProtocolTest extends SeedProtocolContract {
  static PayaraMicroServer server;

  @BeforeAll
  static void start() throws Exception {
    server = PayaraMicroServer.builder("seed").start();
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  @Override
  protected RoomcastServer server() {
    return server;
  }

  /** The server under test runs in its own process; no embedded container is in this JVM. */
  @Override
  protected String otherContainerClass() {
    return "org.apache.catalina.startup.Tomcat";
  }

  @Test
  void readinessIsUpAndReportsTheHub() {
    PayaraMicroServer.Answer ready = server.readiness();
    assertThat(ready.status()).isEqualTo(200);
    JsonNode check = roomcastCheck(ready.json());
    assertThat(check.path("status").asText()).isEqualTo("UP");
    assertThat(check.path("data").path("backplane").asText()).isEqualTo("in-memory");
    assertThat(check.path("data").path("draining").asText()).isEqualTo("false");
    assertThat(check.path("data").path("websocket").asText()).isEqualTo("deployed");
  }

  @Test
  void theChatPageAndTheClientAreServed() {
    PayaraMicroServer.Answer page = server.get("/");
    assertThat(page.status()).isEqualTo(200);
    assertThat(page.body()).contains("<title>roomcast chat</title>");
    PayaraMicroServer.Answer script = server.get("/chat.js");
    assertThat(script.status()).isEqualTo(200);
    assertThat(script.body()).contains("webSocketBase()");
    assertThat(server.get("/roomcast.js").status()).isEqualTo(200);
  }

  @Test
  void aJaxRsPublishReachesWebSocketAndSseMembers() {
    try (WsClient ws = WsClient.connect(server.ws("/rest"));
        SseSubscriber sse = SseSubscriber.open(server.http("/events/rest"))) {
      ws.next("system");
      sse.next("system");
      PayaraMicroServer.Answer published =
          server.postJson("/api/rooms/rest/messages", "{\"content\":{\"n\":1}}", null, null);
      assertThat(published.status()).as(published.body()).isEqualTo(200);
      long offset = published.json().path("offset").asLong();

      JsonNode overWs = ws.next("message");
      assertThat(overWs.path("content").path("n").asInt()).isEqualTo(1);
      assertThat(overWs.path("offset").asLong()).isEqualTo(offset);
      assertThat(overWs.path("client_id").asText()).isEqualTo("server");
      JsonNode overSse = sse.next("message");
      assertThat(overSse.path("offset").asLong()).isEqualTo(offset);
      assertThat(overSse.path("content").path("n").asInt()).isEqualTo(1);
    }
  }

  @Test
  void theJaxRsResourceAnswersBadRequestsClearly() {
    PayaraMicroServer.Answer badRoom =
        server.postJson("/api/rooms/.hidden/messages", "{\"content\":1}", null, null);
    assertThat(badRoom.status()).isEqualTo(400);
    PayaraMicroServer.Answer badJson =
        server.postJson("/api/rooms/lobby/messages", "{not json", null, null);
    assertThat(badJson.status()).isEqualTo(400);
    assertThat(badJson.json().path("error").asText()).isEqualTo("Invalid JSON format");
  }

  /**
   * The sample's {@code Announcements} authorizer (a CDI bean) lets only signed-in users post in
   * {@code announcements}. Over WebSocket the identity it sees is the principal Jakarta Security
   * established from the handshake's {@code Authorization} header, handed on by roomcast-cdi.
   */
  @Test
  void theServersAuthenticatedPrincipalIsTheRoomcastIdentity() throws IOException {
    try (WsClient guest = WsClient.connect(server.ws("/announcements"));
        RawWebSocket alice = RawWebSocket.open(server.port(), 0)) {
      guest.next("system");
      String status =
          alice.handshake(
              "/ws/announcements",
              "Authorization: " + PayaraMicroServer.basic("alice", "wonderland") + "\r\n");
      assertThat(status).startsWith("HTTP/1.1 101");
      assertThat(alice.readText()).contains("\"type\":\"system\"").contains("Welcome");

      guest.send("{\"content\":\"from a guest\"}");
      JsonNode refused = guest.next("error");
      assertThat(refused.path("message").asText()).isEqualTo("not allowed to publish in this room");

      alice.sendText("{\"content\":\"from alice\"}");
      JsonNode m = guest.next("message");
      assertThat(m.path("content").asText()).isEqualTo("from alice");
    }
    // the JAX-RS resource publishes as its caller too
    assertThat(
            server
                .postJson("/api/rooms/announcements/messages", "{\"content\":1}", null, null)
                .status())
        .isEqualTo(403);
    assertThat(
            server
                .postJson("/api/rooms/announcements/messages", "{\"content\":2}", "bob", "builder")
                .status())
        .isEqualTo(200);
  }

  static JsonNode roomcastCheck(JsonNode health) {
    for (JsonNode check : health.path("checks")) {
      if (check.path("name").asText().equals("roomcast")) {
        return check;
      }
    }
    throw new AssertionError("no roomcast check in " + health);
  }
}
