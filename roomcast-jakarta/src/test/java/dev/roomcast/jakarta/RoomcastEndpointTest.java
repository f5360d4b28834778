package dev.roomcast.jakarta;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.roomcast.CloseCodes;
import dev.roomcast.Hub;
import dev.roomcast.Limits;
import dev.roomcast.jakarta.testkit.RawWebSocket;
import dev.roomcast.jakarta.testkit.WsClient;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The endpoint deployed with one call into a real Tyrus container, driven by real clients. */
class RoomcastEndpointTest {
  static final Duration PING = Duration.ofMillis(300);
  static TyrusHarness server;

  @BeforeAll
  static void start() throws Exception {
    Hub hub = Hub.builder().limits(Limits.defaults().withMaxMessageBytes(1024)).build();
    server =
        TyrusHarness.start(
            hub, RoomcastEndpointConfig.builder().pingInterval(PING).pongTimeout(PING).build());
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void roomComesFromThePathAndTheBarePathIsDefault() {
    try (WsClient a = WsClient.connect(server.ws("/lobby-1"));
        WsClient b = WsClient.connect(server.ws("/"))) {
      JsonNode wa = a.next("system");
      assertThat(wa.path("room").asText()).isEqualTo("lobby-1");
      assertThat(wa.path("client_id").asText()).startsWith("user-");
      assertThat(b.next("system").path("room").asText()).isEqualTo("default");
    }
  }

  @Test
  void messagesReachEveryMemberIncludingTheSender() {
    try (WsClient a = WsClient.connect(server.ws("/bcast"));
        WsClient b = WsClient.connect(server.ws("/bcast"))) {
      String idA = a.next("system").path("client_id").asText();
      b.next("system");
      a.send("{\"content\":{\"n\":1}}");
      for (WsClient c : new WsClient[] {a, b}) {
        JsonNode m = c.next("message");
        assertThat(m.path("client_id").asText()).isEqualTo(idA);
        assertThat(m.path("content").path("n").asInt()).isEqualTo(1);
        assertThat(m.path("offset").asLong()).isEqualTo(1);
      }
    }
  }

  @Test
  void resumeParametersDeliverWhatWasMissed() {
    String epoch;
    try (WsClient a = WsClient.connect(server.ws("/resume"))) {
      a.next("system");
      for (int i = 1; i <= 3; i++) {
        a.send("{\"content\":" + i + "}");
      }
      JsonNode first = a.next("message");
      epoch = first.path("epoch").asText();
      a.next("message");
      a.next("message");
    }
    try (WsClient b = WsClient.connect(server.ws("/resume?since=1&epoch=" + epoch))) {
      JsonNode welcome = b.next("system");
      assertThat(welcome.path("recovered").asBoolean()).isTrue();
      assertThat(b.next("message").path("content").asInt()).isEqualTo(2);
      assertThat(b.next("message").path("content").asInt()).isEqualTo(3);
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "/r?since=abc&epoch=e1",
        "/r?since=-1&epoch=e1",
        "/r?since=5",
        "/r?epoch=e1",
        "/r?since=1&since=2&epoch=e1"
      })
  void malformedResumeParametersCloseWith1008(String pathAndQuery) {
    try (WsClient c = WsClient.connect(server.ws(pathAndQuery))) {
      WsClient.Close close = c.awaitClose();
      assertThat(close.code()).isEqualTo(CloseCodes.POLICY_VIOLATION);
      assertThat(close.reason()).containsAnyOf("since", "epoch");
    }
  }

  @Test
  void invalidRoomNameIsRefusedAtTheHandshakeWith400() throws Exception {
    // Tyrus lets the configurator refuse with a status; see HandshakeTest for the rest
    assertThat(RawWebSocket.handshakeStatus(server.port, "/.hidden")).startsWith("HTTP/1.1 400");
  }

  @Test
  void oversizedTextClosesWith1009() {
    try (WsClient c = WsClient.connect(server.ws("/big"))) {
      c.next("system");
      c.send("{\"content\":\"" + "x".repeat(2000) + "\"}");
      assertThat(c.awaitClose().code()).isEqualTo(CloseCodes.TOO_BIG);
    }
  }

  @Test
  void textAtTheLimitIsAccepted() {
    try (WsClient c = WsClient.connect(server.ws("/limit"))) {
      c.next("system");
      String frame = "{\"content\":\"" + "y".repeat(1024 - 14) + "\"}";
      assertThat(frame).hasSize(1024);
      c.send(frame);
      assertThat(c.next("message").path("content").asText()).hasSize(1024 - 14);
    }
  }

  @Test
  void binaryClosesWith1003() {
    try (WsClient c = WsClient.connect(server.ws("/bin"))) {
      c.next("system");
      c.sendBinary(new byte[] {1, 2, 3});
      assertThat(c.awaitClose().code()).isEqualTo(CloseCodes.UNSUPPORTED_DATA);
    }
  }

  @Test
  void aClientThatAnswersPingsStaysOpen() throws Exception {
    try (WsClient c = WsClient.connect(server.ws("/alive"))) {
      c.next("system");
      Thread.sleep(PING.multipliedBy(6).toMillis()); // several ping rounds must pass
      assertThat(c.isClosed()).isFalse();
      c.send("{\"content\":\"still here\"}");
      assertThat(c.next("message").path("content").asText()).isEqualTo("still here");
    }
  }

  @Test
  void aPeerThatNeverPongsIsClosedWith4002() throws Exception {
    try (RawWebSocket raw = RawWebSocket.connect(server.port, "/silent")) {
      boolean sawPing = false;
      long start = System.nanoTime();
      while (true) {
        RawWebSocket.Frame f = raw.read();
        if (f.opcode() == RawWebSocket.PING) {
          sawPing = true;
        }
        if (f.opcode() == RawWebSocket.CLOSE) {
          assertThat(sawPing).isTrue();
          assertThat(f.closeCode()).isEqualTo(CloseCodes.KEEPALIVE_TIMEOUT);
          assertThat(f.text()).contains("keepalive");
          break;
        }
      }
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    }
    awaitRoomEmpty("silent");
  }

  private static void awaitRoomEmpty(String room) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (server.hub.roomSize(room) > 0 && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertThat(server.hub.roomSize(room)).isZero();
  }
}
