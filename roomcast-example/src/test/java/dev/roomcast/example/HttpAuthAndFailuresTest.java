package dev.roomcast.example;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.roomcast.AuthenticationException;
import dev.roomcast.Hub;
import dev.roomcast.Identity;
import dev.roomcast.InMemoryBackplane;
import dev.roomcast.Limits;
import dev.roomcast.RoomAuthorizer;
import dev.roomcast.grizzly.EdgeConfig;
import dev.roomcast.grizzly.internal.Edge;
import dev.roomcast.grizzly.internal.HttpPublishHandler;
import dev.roomcast.grizzly.internal.HttpRouter;
import dev.roomcast.grizzly.internal.SseHandler;
import dev.roomcast.jakarta.sse.SseConfig;
import dev.roomcast.jakarta.sse.SseEndpoint;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.glassfish.grizzly.http.server.HttpServer;
import org.glassfish.grizzly.http.server.NetworkListener;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The SSE and HTTP publish routes on a Grizzly server around a hub with an authenticator (bearer
 * token), a room authorizer, a small content limit and a backplane the test can take down: the
 * 401/403/413/503 answers the example server gives once such a hub is configured.
 */
class HttpAuthAndFailuresTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final HttpClient CLIENT =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  static InMemoryBackplane backplane = InMemoryBackplane.create();
  static AtomicBoolean draining = new AtomicBoolean();
  static Hub hub;
  static SseEndpoint sse;
  static HttpServer http;
  static Edge edge;
  static int port;

  @BeforeAll
  static void start() throws Exception {
    hub =
        Hub.builder()
            .backplane(backplane)
            .limits(Limits.defaults().withMaxContentBytes(100))
            .authenticator(
                h -> {
                  String token = h.bearerToken() != null ? h.bearerToken() : h.queryParam("token");
                  if (token == null || !token.startsWith("user-")) {
                    throw new AuthenticationException("missing or invalid token");
                  }
                  return new Identity(token.substring(5), Map.of());
                })
            .authorizer(
                (who, room, action) ->
                    switch (room) {
                      case "secret" -> who.subject().equals("admin");
                      case "announcements" ->
                          action == RoomAuthorizer.Action.JOIN || who.subject().equals("admin");
                      default -> true;
                    })
            .build();
    sse = SseEndpoint.create(hub, SseConfig.builder().heartbeat(Duration.ZERO).build());
    edge = new Edge(EdgeConfig.defaults(), 16L << 20, hub.limits().maxContentBytes());
    http = new HttpServer();
    NetworkListener listener = new NetworkListener("test", "127.0.0.1", 0);
    http.addListener(listener);
    http.getServerConfiguration()
        .addHttpHandler(
            new HttpRouter()
                .get("/events/{room}", new SseHandler(sse)::handle)
                .post(
                    "/rooms/{room}/messages",
                    new HttpPublishHandler(hub, draining::get, edge)::handle),
            "/");
    http.start();
    port = listener.getPort();
  }

  @AfterAll
  static void stop() {
    hub.close();
    sse.close();
    http.shutdownNow();
    edge.close();
  }

  static URI uri(String path) {
    return URI.create("http://127.0.0.1:" + port + path);
  }

  static HttpResponse<String> post(String room, String token, String body) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(uri("/rooms/" + room + "/messages"))
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  static String error(HttpResponse<String> r) throws Exception {
    return JSON.readTree(r.body()).path("error").asText();
  }

  @Test
  void sseNeedsAuthenticationAndTheRightToJoin() throws Exception {
    try (SseClient none = SseClient.open(uri("/events/lobby"))) {
      assertThat(none.status()).isEqualTo(401);
      assertThat(JSON.readTree(none.body()).path("error").asText())
          .isEqualTo("missing or invalid token");
    }
    try (SseClient denied =
        SseClient.open(uri("/events/secret"), Map.of("Authorization", "Bearer user-bob"))) {
      assertThat(denied.status()).isEqualTo(403);
      assertThat(JSON.readTree(denied.body()).path("error").asText())
          .isEqualTo("not allowed to join this room");
    }
    try (SseClient ok = SseClient.open(uri("/events/secret?token=user-admin"))) {
      assertThat(ok.status()).isEqualTo(200);
      ok.next("system");
      assertThat(post("secret", "user-admin", "{\"content\":\"for admins\"}").statusCode())
          .isEqualTo(200);
      assertThat(ok.next("message").json().path("content").asText()).isEqualTo("for admins");
    }
  }

  @Test
  void httpPublishNeedsAuthenticationAndTheRightToPublish() throws Exception {
    HttpResponse<String> none = post("announcements", null, "{\"content\":1}");
    assertThat(none.statusCode()).isEqualTo(401);
    assertThat(error(none)).isEqualTo("missing or invalid token");
    HttpResponse<String> denied = post("announcements", "user-bob", "{\"content\":1}");
    assertThat(denied.statusCode()).isEqualTo(403);
    assertThat(error(denied)).isEqualTo("not allowed to publish in this room");
    HttpResponse<String> ok = post("announcements", "user-admin", "{\"content\":1}");
    assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
  }

  @Test
  void contentOverTheContentLimitIs413() throws Exception {
    HttpResponse<String> r = post("limits", "user-a", "{\"content\":\"" + "x".repeat(120) + "\"}");
    assertThat(r.statusCode()).isEqualTo(413);
    assertThat(error(r)).isEqualTo("content too large (max 100 bytes)");
  }

  @Test
  void aDownBackplaneOrADrainingServerIs503AndSseStillStreamsLocally() throws Exception {
    try (SseClient sub = SseClient.open(uri("/events/outage?token=user-a"))) {
      sub.next("system");
      backplane.setReachable(false);
      try {
        HttpResponse<String> r = post("outage", "user-a", "{\"content\":1}");
        assertThat(r.statusCode()).isEqualTo(503);
        assertThat(error(r)).startsWith("message not delivered: ");
        // a new subscriber still gets in; its welcome has no position, so no id
        try (SseClient during = SseClient.open(uri("/events/outage2?token=user-a"))) {
          SseClient.Event w = during.next("system");
          assertThat(w.id()).isNull();
          assertThat(w.json().has("epoch")).isFalse();
        }
      } finally {
        backplane.setReachable(true);
      }
      TestServer.await("backplane back", Duration.ofSeconds(5), hub::isBackplaneUp);
      assertThat(post("outage", "user-a", "{\"content\":2}").statusCode()).isEqualTo(200);
      JsonNode m = sub.next("message").json();
      assertThat(m.path("content").asInt()).isEqualTo(2);
    }
    draining.set(true);
    try {
      HttpResponse<String> r = post("outage", "user-a", "{\"content\":3}");
      assertThat(r.statusCode()).isEqualTo(503);
      assertThat(error(r)).contains("draining");
    } finally {
      draining.set(false);
    }
  }
}
