package dev.roomcast.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.roomcast.Hub;
import dev.roomcast.jakarta.testkit.WsClient;
import dev.roomcast.spring.boot.autoconfigure.apps.plain.PlainApp;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointGroup;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointGroups;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The starter alone, on embedded Tomcat with real sockets: the WebSocket endpoint at {@code
 * /ws/{room}}, SSE, HTTP publish, publishing objects with the application's Jackson 3 mapper,
 * properties reaching the hub, Micrometer meters and the readiness group. One server for the class.
 */
class EndpointTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final HttpClient HTTP = HttpClient.newHttpClient();
  static ConfigurableApplicationContext app;

  @BeforeAll
  static void start() {
    app =
        TestServers.start(
            PlainApp.class,
            "roomcast.http-publish.enabled=true",
            "roomcast.limits.max-message-bytes=2000",
            "roomcast.notices=off",
            // the application's own JSON settings: RoomcastTemplate must use them
            "spring.jackson.property-naming-strategy=SNAKE_CASE",
            "management.endpoint.health.probes.enabled=true",
            "management.endpoint.health.show-components=always");
  }

  @AfterAll
  static void stop() {
    app.close();
  }

  @Test
  void twoClientsInARoomReceiveEachOthersMessagesInOrder() {
    try (WsClient a = WsClient.connect(TestServers.ws(app, "/ws/lobby"));
        WsClient b = WsClient.connect(TestServers.ws(app, "/ws/lobby"))) {
      JsonNode welcome = a.next();
      assertThat(welcome.path("type").asText()).isEqualTo("system");
      assertThat(welcome.path("room").asText()).isEqualTo("lobby");
      assertThat(welcome.path("client_id").asText()).startsWith("user-");
      b.next("system");
      a.send("{\"content\":\"from a\"}");
      b.send("{\"content\":{\"n\":2}}");
      for (WsClient c : new WsClient[] {a, b}) {
        JsonNode first = c.next("message");
        JsonNode second = c.next("message");
        assertThat(second.path("offset").asLong()).isEqualTo(first.path("offset").asLong() + 1);
        assertThat(first.path("room").asText()).isEqualTo("lobby");
      }
    }
  }

  @Test
  void theBarePathIsTheDefaultRoomAndOtherPathsAreNotTheEndpoint() throws Exception {
    try (WsClient c = WsClient.connect(TestServers.ws(app, "/ws"))) {
      assertThat(c.next().path("room").asText()).isEqualTo("default");
    }
    HttpResponse<String> plain =
        HTTP.send(
            HttpRequest.newBuilder(TestServers.http(app, "/ws/lobby")).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(plain.statusCode()).isEqualTo(404); // no upgrade: Spring MVC answers
  }

  @Test
  void propertiesReachTheHub() {
    Hub hub = app.getBean(Hub.class);
    assertThat(hub.limits().maxMessageBytes()).isEqualTo(2000);
    try (WsClient c = WsClient.connect(TestServers.ws(app, "/ws/limits"))) {
      c.next();
      c.send("{\"content\":\"" + "x".repeat(2100) + "\"}");
      assertThat(c.awaitClose().code()).isEqualTo(1009);
    }
  }

  record ChatLine(String userName, String text) {}

  @Test
  void theTemplatePublishesWithTheApplicationsJsonMapperToWebSocketAndSseMembers()
      throws Exception {
    RoomcastTemplate template = app.getBean(RoomcastTemplate.class);
    try (WsClient ws = WsClient.connect(TestServers.ws(app, "/ws/news"));
        InputStream sse =
            HTTP.send(
                    HttpRequest.newBuilder(TestServers.http(app, "/events/news")).build(),
                    HttpResponse.BodyHandlers.ofInputStream())
                .body()) {
      ws.next();
      BufferedReader events =
          new BufferedReader(new InputStreamReader(sse, StandardCharsets.UTF_8));
      assertThat(nextData(events).path("type").asText()).isEqualTo("system"); // the welcome
      template
          .publish("news", new ChatLine("alice", "hello"))
          .toCompletableFuture()
          .get(10, java.util.concurrent.TimeUnit.SECONDS);
      JsonNode m = ws.next("message");
      // snake_case: the application's spring.jackson settings, not a second mapper's defaults
      assertThat(m.path("content").toString())
          .isEqualTo("{\"user_name\":\"alice\",\"text\":\"hello\"}");
      assertThat(m.path("client_id").asText()).isEqualTo("server");
      assertThat(nextData(events).path("content")).isEqualTo(m.path("content"));
    }
  }

  @Test
  void httpPublishReachesTheRoom() throws Exception {
    try (WsClient ws = WsClient.connect(TestServers.ws(app, "/ws/http"))) {
      ws.next();
      HttpResponse<String> ok = post("/rooms/http/messages", "{\"content\":{\"a\":1}}");
      assertThat(ok.statusCode()).isEqualTo(200);
      assertThat(JSON.readTree(ok.body()).path("room").asText()).isEqualTo("http");
      assertThat(ws.next("message").path("content").toString()).isEqualTo("{\"a\":1}");
      assertThat(post("/rooms/http/messages", "not json").statusCode()).isEqualTo(400);
      assertThat(post("/rooms/bad%20room/messages", "{}").statusCode()).isEqualTo(400);
      assertThat(post("/rooms/http", "{}").statusCode()).isEqualTo(404);
    }
  }

  @Test
  void metersAndTheReadinessGroupShowTheHub() throws Exception {
    try (WsClient c = WsClient.connect(TestServers.ws(app, "/ws/meters"))) {
      c.next();
      MeterRegistry registry = app.getBean(MeterRegistry.class);
      assertThat(registry.get("roomcast.connections").gauge().value()).isGreaterThanOrEqualTo(1);
      HttpResponse<String> readiness =
          HTTP.send(
              HttpRequest.newBuilder(TestServers.http(app, "/actuator/health/readiness")).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(readiness.statusCode()).isEqualTo(200);
      assertThat(JSON.readTree(readiness.body()).path("status").asText()).isEqualTo("UP");
      // the probes' groups never list their components: ask the group itself
      HealthEndpointGroup group = app.getBean(HealthEndpointGroups.class).get("readiness");
      assertThat(group.isMember("roomcast")).isTrue();
      assertThat(group.isMember("readinessState")).isTrue();
      assertThat(app.getBean(HealthEndpointGroups.class).get("liveness").isMember("roomcast"))
          .isFalse();
      HttpResponse<String> health =
          HTTP.send(
              HttpRequest.newBuilder(TestServers.http(app, "/actuator/health")).build(),
              HttpResponse.BodyHandlers.ofString());
      JsonNode roomcast = JSON.readTree(health.body()).path("components").path("roomcast");
      assertThat(roomcast.path("status").asText()).isEqualTo("UP");
    }
  }

  private static HttpResponse<String> post(String path, String body) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(TestServers.http(app, path))
            .timeout(Duration.ofSeconds(10))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** The next SSE event's data, parsed. */
  static JsonNode nextData(BufferedReader events) throws Exception {
    for (String line = events.readLine(); line != null; line = events.readLine()) {
      if (line.startsWith("data: ")) {
        return JSON.readTree(line.substring(6));
      }
    }
    throw new AssertionError("SSE stream ended");
  }
}
