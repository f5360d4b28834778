package dev.roomcast.grizzly;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.roomcast.Hub;
import dev.roomcast.jakarta.testkit.WsClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.glassfish.grizzly.http.server.HttpHandler;
import org.glassfish.grizzly.http.server.HttpServer;
import org.glassfish.grizzly.http.server.NetworkListener;
import org.glassfish.grizzly.http.server.Request;
import org.glassfish.grizzly.http.server.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The embeddable server as an application uses it: a few lines around a hub, WebSocket rooms, the
 * HTTP endpoints, an application route, and the send path its sessions take.
 */
class RoomcastServerTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final HttpClient HTTP =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  static RoomcastServer server;

  @BeforeAll
  static void start() throws Exception {
    server =
        RoomcastServer.builder(Hub.builder().build())
            .host("127.0.0.1")
            .port(0)
            .drainTime(Duration.ofMillis(200))
            .route(
                "GET",
                "/hello/{name}",
                (req, res, p) -> HttpResponses.text(res, 200, "hi " + p.get("name")))
            .start();
  }

  @AfterAll
  static void stop() {
    server.stop();
  }

  static URI ws(int port, String path) {
    return URI.create("ws://127.0.0.1:" + port + path);
  }

  static HttpResponse<String> get(int port, String path) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void membersOfARoomHearEachOtherThroughTheServersOwnWriter() throws Exception {
    long directBefore = server.deployment().directFrameSessions();
    try (WsClient a = WsClient.connect(ws(server.port(), "/lobby"));
        WsClient b = WsClient.connect(ws(server.port(), "/lobby"))) {
      assertThat(a.next("system").path("client_id").asText()).isNotEmpty();
      b.next("system");
      a.send("{\"content\":\"hello\"}");
      JsonNode got = b.next("message");
      assertThat(got.path("content").asText()).isEqualTo("hello");
      assertThat(got.path("room").asText()).isEqualTo("lobby");
      assertThat(a.next("message").path("content").asText()).isEqualTo("hello");
    }
    // every session took the direct path: no reflection, no sendText
    assertThat(server.deployment().directFrameSessions() - directBefore).isEqualTo(2);
    assertThat(server.deployment().reflectedFrameSessions()).isZero();
    assertThat(server.deployment().sendTextSessions()).isZero();
    JsonNode metrics = JSON.readTree(get(server.port(), "/metrics").body());
    assertThat(metrics.path("roomcast").path("websocket_send_text_sessions").asLong()).isZero();
  }

  @Test
  void healthReadyMetricsAndApplicationRoutesAnswer() throws Exception {
    assertThat(get(server.port(), "/health").body()).isEqualTo("OK");
    assertThat(get(server.port(), "/ready").statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(get(server.port(), "/metrics").body()).has("total_connections"))
        .isTrue();
    HttpResponse<String> hello = get(server.port(), "/hello/world");
    assertThat(hello.statusCode()).isEqualTo(200);
    assertThat(hello.body()).isEqualTo("hi world");
    assertThat(get(server.port(), "/nothing/here").statusCode()).isEqualTo(404);
  }

  @Test
  void addsItselfToAnApplicationsGrizzlyServerNextToItsHandlers() throws Exception {
    HttpServer app = new HttpServer();
    NetworkListener listener = new NetworkListener("app", "127.0.0.1", 0);
    app.addListener(listener);
    app.getServerConfiguration()
        .addHttpHandler(
            new HttpHandler() {
              @Override
              public void service(Request request, Response response) throws Exception {
                response.setContentType("text/plain");
                response.getWriter().write("the app");
              }
            },
            "/app");
    RoomcastServer embedded =
        RoomcastServer.builder(Hub.builder().build())
            .healthPath("/rc/health")
            .startOn(app, listener);
    app.start();
    embedded.markStarted();
    try {
      int port = listener.getPort();
      assertThat(get(port, "/app").body()).isEqualTo("the app");
      assertThat(get(port, "/rc/health").body()).isEqualTo("OK");
      assertThat(get(port, "/ready").statusCode()).isEqualTo(200);
      try (WsClient a = WsClient.connect(ws(port, "/room1"))) {
        a.next("system");
        a.send("{\"content\":1}");
        assertThat(a.next("message").path("content").asInt()).isEqualTo(1);
      }
      assertThat(embedded.deployment().directFrameSessions()).isEqualTo(1);
    } finally {
      embedded.stop();
      app.shutdownNow();
    }
  }

  @Test
  void aGracefulShutdownClosesMembersWith1012() throws Exception {
    RoomcastServer own =
        RoomcastServer.builder(Hub.builder().build())
            .host("127.0.0.1")
            .port(0)
            .drainTime(Duration.ofMillis(100))
            .start();
    try (WsClient a = WsClient.connect(ws(own.port(), "/r"))) {
      a.next("system");
      own.shutdownGracefully();
      assertThat(a.awaitClose().code()).isEqualTo(1012);
    } finally {
      own.stop();
    }
  }
}
