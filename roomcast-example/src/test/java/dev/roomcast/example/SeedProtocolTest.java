package dev.roomcast.example;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.roomcast.CloseCodes;
import dev.roomcast.jakarta.testkit.WsClient;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The seed server's protocol, field for field, against the running example server with real
 * sockets: what the seed's Python server did, roomcast does.
 */
class SeedProtocolTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static TestServer server;

  @BeforeAll
  static void start() throws Exception {
    // the seed server had no publish rate limit; 200 messages at once need a burst of 200
    // the seed's /metrics lists room names; roomcast does when told to
    server =
        TestServer.start(
            Map.of("ROOMCAST_PUBLISH_BURST", "1000", "ROOMCAST_METRICS_ROOM_NAMES", "true"));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void welcomeNamesTheClientAndTheRoom() {
    try (WsClient c = WsClient.connect(server.ws("/welcome"))) {
      JsonNode w = c.next();
      assertThat(w.path("type").asText()).isEqualTo("system");
      String id = w.path("client_id").asText();
      assertThat(id).startsWith("user-");
      assertThat(w.path("message").asText())
          .isEqualTo("Welcome to room welcome. You are " + id + ".");
      assertThat(w.path("room").asText()).isEqualTo("welcome");
      assertThat(Instant.parse(w.path("timestamp").asText())).isNotNull();
    }
  }

  @Test
  void othersAreToldOfJoinsAndLeaves() {
    try (WsClient a = WsClient.connect(server.ws("/notices"))) {
      a.next("system");
      String idB;
      try (WsClient b = WsClient.connect(server.ws("/notices"))) {
        idB = b.next("system").path("client_id").asText();
        JsonNode join = a.next("system");
        assertThat(join.path("message").asText()).isEqualTo(idB + " joined the room");
        assertThat(join.path("room").asText()).isEqualTo("notices");
        assertThat(Instant.parse(join.path("timestamp").asText())).isNotNull();
      }
      JsonNode leave = a.next("system");
      assertThat(leave.path("message").asText()).isEqualTo(idB + " left the room");
    }
  }

  @Test
  void aMessageReachesEveryMemberIncludingTheSender() {
    try (WsClient a = WsClient.connect(server.ws("/chat"));
        WsClient b = WsClient.connect(server.ws("/chat"));
        WsClient c = WsClient.connect(server.ws("/chat"))) {
      String idA = a.next("system").path("client_id").asText();
      b.next("system");
      c.next("system");
      a.send("{\"content\":\"hello\"}");
      for (WsClient member : List.of(a, b, c)) {
        JsonNode m = member.next("message");
        assertThat(m.path("client_id").asText()).isEqualTo(idA);
        assertThat(m.path("content").asText()).isEqualTo("hello");
        assertThat(m.path("room").asText()).isEqualTo("chat");
        assertThat(Instant.parse(m.path("timestamp").asText())).isNotNull();
        assertThat(m.path("offset").asLong()).isEqualTo(1);
        assertThat(m.path("epoch").asText()).isNotEmpty();
      }
    }
  }

  @Test
  void contentIsPassedThroughAsAnyJsonValue() throws Exception {
    try (WsClient a = WsClient.connect(server.ws("/json"))) {
      a.next("system");
      a.send("{\"content\":{\"n\":[1,2.5,null,true],\"s\":\"\\u00e9\"}}");
      assertThat(a.next("message").path("content"))
          .isEqualTo(JSON.readTree("{\"n\":[1,2.5,null,true],\"s\":\"é\"}"));
      a.send("{}"); // the seed's data.get('content', '')
      assertThat(a.next("message").path("content").asText()).isEmpty();
    }
  }

  @Test
  void twoHundredMessagesFromOneSenderArriveInOrder() {
    try (WsClient sender = WsClient.connect(server.ws("/order"));
        WsClient other = WsClient.connect(server.ws("/order"))) {
      sender.next("system");
      other.next("system");
      for (int i = 0; i < 200; i++) {
        sender.send("{\"content\":" + i + "}");
      }
      for (WsClient c : List.of(sender, other)) {
        List<Integer> got = new ArrayList<>();
        long lastOffset = 0;
        for (int i = 0; i < 200; i++) {
          JsonNode m = c.next("message");
          got.add(m.path("content").asInt());
          assertThat(m.path("offset").asLong()).isEqualTo(lastOffset + 1);
          lastOffset = m.path("offset").asLong();
        }
        assertThat(got).isSorted().hasSize(200).startsWith(0).endsWith(199);
      }
    }
  }

  @Test
  void invalidJsonGetsAnErrorFrameAndTheConnectionStays() {
    try (WsClient c = WsClient.connect(server.ws("/bad"))) {
      c.next("system");
      c.send("this is not json");
      JsonNode e = c.next();
      assertThat(e.path("type").asText()).isEqualTo("error");
      assertThat(e.path("message").asText()).isEqualTo("Invalid JSON format");
      c.send("{\"content\":\"after\"}");
      assertThat(c.next("message").path("content").asText()).isEqualTo("after");
      assertThat(c.isClosed()).isFalse();
    }
  }

  @Test
  void roomsAreIsolated() {
    try (WsClient red = WsClient.connect(server.ws("/red"));
        WsClient blue = WsClient.connect(server.ws("/blue"))) {
      red.next("system");
      blue.next("system");
      red.send("{\"content\":\"for red\"}");
      assertThat(red.next("message").path("content").asText()).isEqualTo("for red");
      blue.send("{\"content\":\"for blue\"}");
      JsonNode b = blue.next();
      assertThat(b.path("content").asText()).isEqualTo("for blue"); // nothing from red before it
      red.assertNoFrameWithin(Duration.ofMillis(200));
    }
  }

  @Test
  void theBarePathIsRoomDefault() {
    try (WsClient bare = WsClient.connect(server.ws("/"));
        WsClient named = WsClient.connect(server.ws("/default"))) {
      assertThat(bare.next("system").path("room").asText()).isEqualTo("default");
      named.next("system");
      named.send("{\"content\":\"same room\"}");
      assertThat(bare.next("message").path("content").asText()).isEqualTo("same room");
    }
  }

  @Test
  void healthAnswersOk() {
    HttpResponse<String> r = server.get("/health");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("OK");
  }

  @Test
  void readyAnswers200WhileServing() {
    assertThat(server.get("/ready").statusCode()).isEqualTo(200);
  }

  @Test
  void metricsCountConnectionsPerRoom() throws Exception {
    try (WsClient a = WsClient.connect(server.ws("/metrics-a"));
        WsClient b = WsClient.connect(server.ws("/metrics-a"));
        WsClient c = WsClient.connect(server.ws("/metrics-b"))) {
      a.next("system");
      b.next("system");
      c.next("system");
      HttpResponse<String> r = server.get("/metrics");
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.headers().firstValue("content-type")).hasValue("application/json");
      JsonNode m = JSON.readTree(r.body());
      assertThat(m.path("rooms").path("metrics-a").asInt()).isEqualTo(2);
      assertThat(m.path("rooms").path("metrics-b").asInt()).isEqualTo(1);
      long sum = 0;
      for (JsonNode n : m.path("rooms")) {
        sum += n.asLong();
      }
      assertThat(m.path("total_connections").asLong()).isEqualTo(sum).isGreaterThanOrEqualTo(3);
      JsonNode rc = m.path("roomcast");
      assertThat(rc.path("connections_opened").asLong()).isGreaterThanOrEqualTo(3);
      assertThat(rc.path("backplane_up").asBoolean()).isTrue();
      assertThat(m.path("backplane").asText()).isEqualTo("in-memory");
    }
    TestServer.await(
        "rooms metrics-a and metrics-b gone",
        Duration.ofSeconds(5),
        () -> !server.get("/metrics").body().contains("metrics-"));
  }

  @Test
  void anOversizedFrameClosesWith1009() {
    try (WsClient c = WsClient.connect(server.ws("/big"))) {
      c.next("system");
      c.send("{\"content\":\"" + "x".repeat(70 * 1024) + "\"}");
      WsClient.Close close = c.awaitClose();
      assertThat(close.code()).isEqualTo(CloseCodes.TOO_BIG);
    }
  }

  @Test
  void aBinaryFrameClosesWith1003() {
    try (WsClient c = WsClient.connect(server.ws("/binary"))) {
      c.next("system");
      c.sendBinary(new byte[] {0, 1, 2});
      assertThat(c.awaitClose().code()).isEqualTo(CloseCodes.UNSUPPORTED_DATA);
    }
  }

  @Test
  void theChatPageAndItsScriptAreServed() {
    HttpResponse<String> page = server.get("/");
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("content-type")).hasValue("text/html; charset=utf-8");
    assertThat(page.body()).contains("<script type=\"module\" src=\"chat.js\"></script>");
    HttpResponse<String> js = server.get("/chat.js");
    assertThat(js.statusCode()).isEqualTo(200);
    assertThat(js.headers().firstValue("content-type")).hasValue("text/javascript; charset=utf-8");
    assertThat(js.body()).contains("from './roomcast.js'");
    HttpResponse<String> client = server.get("/roomcast.js");
    assertThat(client.statusCode()).isEqualTo(200);
    assertThat(client.headers().firstValue("content-type"))
        .hasValue("text/javascript; charset=utf-8");
    assertThat(client.body()).contains("since=").contains("epoch=");
    assertThat(server.get("/chat.css").statusCode()).isEqualTo(200);
  }

  @Test
  void unknownPathsAre404AndWrongMethods405() {
    assertThat(server.get("/no/such/thing").statusCode()).isEqualTo(404);
    HttpResponse<String> post =
        server.request(
            HttpRequest.newBuilder(server.http("/health"))
                .POST(HttpRequest.BodyPublishers.ofString("x"))
                .build());
    assertThat(post.statusCode()).isEqualTo(405);
    assertThat(post.headers().firstValue("allow")).hasValue("GET, HEAD");
  }

  @Test
  void anHttp2UpgradeRequestIsAnsweredAsPlainHttp11() throws Exception {
    try (Socket s = new Socket("127.0.0.1", server.port())) {
      s.setSoTimeout(5000);
      String upgrade =
          "Connection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\nHTTP2-Settings: AAEAAEAAAAIAAAAA\r\n";
      OutputStream out = s.getOutputStream();
      out.write(
          ("GET /health HTTP/1.1\r\nHost: x\r\n" + upgrade + "\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      BufferedReader in =
          new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
      assertThat(in.readLine()).isEqualTo("HTTP/1.1 200 OK");
      List<String> headers = new ArrayList<>();
      for (String line = in.readLine(); !line.isEmpty(); line = in.readLine()) {
        headers.add(line.toLowerCase(java.util.Locale.ROOT));
      }
      assertThat(headers).contains("content-type: text/plain; charset=utf-8", "content-length: 2");
      char[] body = new char[2];
      assertThat(in.read(body)).isEqualTo(2);
      assertThat(new String(body)).isEqualTo("OK");
      // ... and then ends the connection cleanly rather than leaving it half-parsed
      assertThat(headers).contains("connection: close");
      assertThat(in.read()).isEqualTo(-1);
    }
  }
}
