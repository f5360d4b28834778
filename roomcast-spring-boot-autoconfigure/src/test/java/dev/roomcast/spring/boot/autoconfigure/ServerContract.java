package dev.roomcast.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.roomcast.Hub;
import dev.roomcast.Identity;
import dev.roomcast.jakarta.testkit.RawWebSocket;
import dev.roomcast.jakarta.testkit.WsClient;
import dev.roomcast.spring.boot.autoconfigure.apps.secured.SecuredApp;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointGroup;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointGroups;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The starter in an application with Spring Security ({@link SecuredApp}), on one embedded server
 * with real sockets, run on each container by a subclass:
 *
 * <ul>
 *   <li>the WebSocket endpoint at {@code /ws/{room}}, SSE, HTTP publish, publishing objects with
 *       the application's Jackson 3 mapper, properties reaching the hub, meters and the readiness
 *       group;
 *   <li>Spring Security: the filter chain guards the handshake, the principal becomes the identity,
 *       guests are anonymous where the chain permits them, a {@code RoomAuthorizer} bean decides
 *       per room;
 *   <li>last, closing the application (what SIGTERM does): every WebSocket client gets 1012 while
 *       the server still accepts connections, and only then does the port close.
 * </ul>
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class ServerContract {
  static final ObjectMapper JSON = new ObjectMapper();
  static final HttpClient HTTP = HttpClient.newHttpClient();
  static ConfigurableApplicationContext app;

  /** The web server's class name should contain this ("Tomcat", "Jetty"). */
  abstract String server();

  @BeforeAll
  static void start() {
    app =
        TestServers.start(
            SecuredApp.class,
            "roomcast.http-publish.enabled=true",
            "roomcast.limits.max-message-bytes=2000",
            "roomcast.drain.time=300ms",
            // the application's own JSON settings: RoomcastTemplate must use them
            "spring.jackson.property-naming-strategy=SNAKE_CASE",
            "management.endpoint.health.probes.enabled=true",
            "management.endpoint.health.show-components=always");
  }

  @AfterAll
  static void stop() {
    app.close(); // idempotent: the drain test closed it already
  }

  // ---- the endpoints

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

  // ---- Spring Security

  @Test
  void runsOnTheContainerItIsFor() {
    assertThat(((WebServerApplicationContext) app).getWebServer().getClass().getSimpleName())
        .contains(server());
  }

  static String basic(String user, String password) {
    return "Authorization: Basic "
        + Base64.getEncoder()
            .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8))
        + "\r\n";
  }

  @Test
  void aSignedInUsersPrincipalBecomesTheIdentity() throws Exception {
    try (RawWebSocket ws = RawWebSocket.open(TestServers.port(app), 0)) {
      assertThat(ws.handshake("/ws/lobby", basic("alice", "wonderland")))
          .startsWith("HTTP/1.1 101");
      assertThat(ws.readText()).contains("\"type\":\"system\"");
    }
    Identity alice = SecuredApp.JOINED.get("lobby");
    assertThat(alice.subject()).isEqualTo("alice");
    // Spring Security 7 also grants FACTOR_PASSWORD for the password login
    assertThat(alice.claims().get("authorities"))
        .asInstanceOf(InstanceOfAssertFactories.LIST)
        .contains("ROLE_USER");
  }

  @Test
  void guestsAreAnonymousWhereTheFilterChainPermitsThem() throws Exception {
    try (RawWebSocket ws = RawWebSocket.connect(TestServers.port(app), "/ws/guests")) {
      assertThat(ws.readText()).contains("\"type\":\"system\"");
    }
    assertThat(SecuredApp.JOINED.get("guests")).isEqualTo(Identity.anonymous());
  }

  @Test
  void theFilterChainRefusesAnUnauthenticatedHandshakeWhereItRequiresAUser() throws Exception {
    assertThat(RawWebSocket.handshakeStatus(TestServers.port(app), "/ws/staff"))
        .startsWith("HTTP/1.1 401");
    assertThat(
            RawWebSocket.handshakeStatus(
                TestServers.port(app), "/ws/staff", basic("alice", "nope")))
        .startsWith("HTTP/1.1 401");
    try (RawWebSocket ws = RawWebSocket.open(TestServers.port(app), 0)) {
      assertThat(ws.handshake("/ws/staff", basic("alice", "wonderland")))
          .startsWith("HTTP/1.1 101");
      assertThat(ws.readText()).contains("\"room\":\"staff\"");
    }
  }

  @Test
  void theRoomAuthorizerBeanDecidesWithTheAuthorities() throws Exception {
    try (RawWebSocket ws = RawWebSocket.open(TestServers.port(app), 0)) {
      String status = ws.handshake("/ws/admins", basic("alice", "wonderland"));
      if (status.startsWith("HTTP/1.1 101")) { // containers that cannot refuse at the handshake
        RawWebSocket.Frame close = ws.awaitClose();
        assertThat(close.closeCode()).isEqualTo(1008);
      } else {
        assertThat(status).startsWith("HTTP/1.1 403");
      }
    }
    try (RawWebSocket ws = RawWebSocket.open(TestServers.port(app), 0)) {
      assertThat(ws.handshake("/ws/admins", basic("root", "toor"))).startsWith("HTTP/1.1 101");
      assertThat(ws.readText()).contains("\"room\":\"admins\"");
    }
  }

  // ---- shutdown

  @Test
  @Order(Integer.MAX_VALUE) // closes the server: last
  void everyClientGets1012BeforeThePortCloses() throws Exception {
    int port = TestServers.port(app);
    List<RawWebSocket> clients = new ArrayList<>();
    ExecutorService readers = Executors.newFixedThreadPool(4);
    try {
      for (int i = 0; i < 4; i++) {
        RawWebSocket ws = RawWebSocket.connect(port, "/ws/drain");
        assertThat(ws.readText()).contains("\"type\":\"system\"");
        clients.add(ws);
      }
      // the endpoint works: one client's message reaches every member
      clients.get(0).sendText("{\"content\":\"before the drain\"}");
      for (RawWebSocket ws : clients) {
        String frame = ws.readText();
        while (!frame.contains("\"type\":\"message\"")) {
          frame = ws.readText(); // join notices of the later clients
        }
        assertThat(frame).contains("before the drain");
      }
      // Each client reads up to the server's close frame, checks that the port still takes a
      // connection, and only then answers the close: the drain waits for those answers, so the
      // check runs while the server is still before its graceful shutdown.
      List<Future<Integer>> codes = new ArrayList<>();
      for (RawWebSocket ws : clients) {
        codes.add(
            readers.submit(
                () -> {
                  RawWebSocket.Frame close = ws.awaitClose();
                  assertThat(close).as("a close frame, not a cut connection").isNotNull();
                  assertThat(accepts(port)).as("port open when 1012 arrived").isTrue();
                  ws.sendFrame(RawWebSocket.CLOSE, closePayload(close.closeCode()));
                  return close.closeCode();
                }));
      }
      CompletableFuture<Void> closed = CompletableFuture.runAsync(app::close);
      for (Future<Integer> code : codes) {
        assertThat(code.get(15, TimeUnit.SECONDS)).isEqualTo(1012);
      }
      closed.get(30, TimeUnit.SECONDS);
      assertThat(accepts(port)).as("port closed after the shutdown").isFalse();
    } finally {
      readers.shutdownNow();
      clients.forEach(RawWebSocket::abort);
      app.close();
    }
  }

  private static byte[] closePayload(int code) {
    return ByteBuffer.allocate(2).putShort((short) code).array();
  }

  private static boolean accepts(int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 2000);
      return true;
    } catch (ConnectException e) {
      return false;
    } catch (IOException e) {
      return false;
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
