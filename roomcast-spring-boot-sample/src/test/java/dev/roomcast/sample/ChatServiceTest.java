package dev.roomcast.sample;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.roomcast.jakarta.testkit.WsClient;
import dev.roomcast.redis.RedisServer;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import redis.clients.jedis.Jedis;

/**
 * The sample as a user meets it, deployed as for production: two instances on one real {@code
 * redis-server}, configured only with Boot's settings ({@code roomcast.backplane=redis}, {@code
 * spring.data.redis.*}) and running on the versions Spring Boot manages (Jedis 7). Real sockets;
 * most checks use instance {@code a}, the sharing checks both. ({@link SampleJarIT} runs the
 * packaged jar on the in-memory default.)
 */
class ChatServiceTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static RedisServer redis;
  static ConfigurableApplicationContext a;
  static ConfigurableApplicationContext b;

  @BeforeAll
  static void start() {
    redis = RedisServer.start();
    String[] props = {
      "roomcast.backplane=redis",
      "spring.data.redis.host=127.0.0.1",
      "spring.data.redis.port=" + redis.port()
    };
    a = Instances.start(props);
    b = Instances.start(props);
  }

  @AfterAll
  static void stop() {
    try {
      if (a != null) {
        a.close();
      }
      if (b != null) {
        b.close();
      }
    } finally {
      redis.close();
    }
  }

  @Test
  void theChatPageAndItsClientAreServed() throws Exception {
    HttpResponse<String> page = Instances.get(a, "/");
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.body()).contains("<title>roomcast chat</title>").contains("chat.js");
    assertThat(Instances.get(a, "/roomcast.js").body()).contains("export function connect");
    assertThat(Instances.get(a, "/chat.js").body()).contains("/api/rooms/");
  }

  @Test
  void theWebSocketEndpointSpeaksTheExamplesProtocol() {
    try (WsClient first = WsClient.connect(Instances.ws(a, "/ws/proto"));
        WsClient second = WsClient.connect(Instances.ws(a, "/ws/proto"))) {
      JsonNode welcome = first.next();
      assertThat(welcome.path("type").asText()).isEqualTo("system");
      assertThat(welcome.path("message").asText()).startsWith("Welcome to room proto.");
      assertThat(welcome.has("client_id") && welcome.has("epoch") && welcome.has("offset"))
          .isTrue();
      assertThat(second.next().path("type").asText()).isEqualTo("system");
      assertThat(first.next().path("message").asText()).endsWith("joined the room");
      second.send("{\"content\":\"over the socket\"}");
      JsonNode m = first.next("message");
      assertThat(m.path("content").asText()).isEqualTo("over the socket");
      assertThat(m.path("client_id").asText())
          .isEqualTo(second.next("message").path("client_id").asText());
      first.send("not json");
      assertThat(first.next("error").path("message").asText()).isEqualTo("Invalid JSON format");
    }
  }

  @Test
  void signedInUsersAppearWithTheirNamesAndGuestsAsGuest() throws Exception {
    try (WsClient member = WsClient.connect(Instances.ws(a, "/ws/names"))) {
      member.next();
      HttpResponse<String> alice =
          Instances.post(
              a,
              "/api/rooms/names/messages",
              "{\"text\":\"hi, I am alice\"}",
              "alice",
              "alice-secret");
      assertThat(alice.statusCode()).isEqualTo(200);
      assertThat(member.next("message").path("content").toString())
          .isEqualTo("{\"user\":\"alice\",\"text\":\"hi, I am alice\"}");
      assertThat(
              Instances.post(a, "/api/rooms/names/messages", "{\"text\":\"anyone\"}", null, null)
                  .statusCode())
          .isEqualTo(200);
      assertThat(member.next("message").path("content").path("user").asText()).isEqualTo("guest");
      assertThat(
              Instances.post(a, "/api/rooms/names/messages", "{\"text\":\"x\"}", "alice", "wrong")
                  .statusCode())
          .isEqualTo(401);
      JsonNode recent = JSON.readTree(Instances.get(a, "/api/rooms/names/messages").body());
      assertThat(recent).hasSize(2);
      assertThat(recent.get(0).path("user").asText()).isEqualTo("alice");
    }
  }

  @Test
  void emptyMessagesAreRefusedAndReachNobody() throws Exception {
    try (WsClient member = WsClient.connect(Instances.ws(a, "/ws/empty"))) {
      member.next();
      HttpResponse<String> r =
          Instances.post(a, "/api/rooms/empty/messages", "{\"text\":\"   \"}", null, null);
      assertThat(r.statusCode()).isEqualTo(400);
      assertThat(JSON.readTree(r.body()).path("error").asText()).isEqualTo("empty message");
      assertThat(
              Instances.post(a, "/api/rooms/bad%20room/messages", "{\"text\":\"x\"}", null, null)
                  .statusCode())
          .isEqualTo(400);
      member.assertNoFrameWithin(Duration.ofMillis(300));
      assertThat(JSON.readTree(Instances.get(a, "/api/rooms/empty/messages").body())).isEmpty();
    }
  }

  @Test
  void readinessReflectsTheHub() throws Exception {
    HttpResponse<String> r = Instances.get(a, "/actuator/health/readiness");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(r.body()).path("status").asText()).isEqualTo("UP");
  }

  // ---- two instances

  @Test
  void theyRunOnTheJedisSpringBootManages() throws Exception {
    String jar =
        Path.of(Jedis.class.getProtectionDomain().getCodeSource().getLocation().toURI())
            .getFileName()
            .toString();
    assertThat(jar).startsWith("jedis-7.");
  }

  @Test
  void membersOnEitherInstanceShareTheRoom() throws Exception {
    try (WsClient onA = WsClient.connect(Instances.ws(a, "/ws/shared"))) {
      JsonNode welcomeA = onA.next();
      try (WsClient onB = WsClient.connect(Instances.ws(b, "/ws/shared"))) {
        JsonNode welcomeB = onB.next();
        assertThat(welcomeB.path("epoch").asText()).isEqualTo(welcomeA.path("epoch").asText());
        assertThat(onA.next().path("message").asText())
            .isEqualTo(welcomeB.path("client_id").asText() + " joined the room");

        onA.send("{\"content\":\"from a socket on A\"}");
        assertThat(
                Instances.post(
                        b,
                        "/api/rooms/shared/messages",
                        "{\"text\":\"bob on B\"}",
                        "bob",
                        "bob-secret")
                    .statusCode())
            .isEqualTo(200);
        JsonNode[] seenOnA = {onA.next("message"), onA.next("message")};
        JsonNode[] seenOnB = {onB.next("message"), onB.next("message")};
        for (int i = 0; i < 2; i++) {
          assertThat(seenOnB[i].path("offset").asLong())
              .isEqualTo(seenOnA[i].path("offset").asLong());
          assertThat(seenOnB[i].path("content")).isEqualTo(seenOnA[i].path("content"));
        }
        assertThat(seenOnA[1].path("offset").asLong())
            .isEqualTo(seenOnA[0].path("offset").asLong() + 1);
        assertThat(seenOnA[0].path("content").asText() + seenOnA[1].path("content").toString())
            .contains("from a socket on A")
            .contains("{\"user\":\"bob\",\"text\":\"bob on B\"}");
      }
    }
  }
}
