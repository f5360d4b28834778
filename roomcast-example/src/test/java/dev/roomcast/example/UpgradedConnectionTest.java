package dev.roomcast.example;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.roomcast.jakarta.testkit.RawWebSocket;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The example's own Grizzly bridge to Tyrus (roomcast-grizzly's {@code WebSocketUpgradeAddOn}) over
 * raw sockets: what it does beyond a plain handshake. Frames that arrive in the same TCP segment as
 * the upgrade request are bytes the HTTP codec hands over with the request; they must reach Tyrus
 * (and the frame-size guard) like any later frame.
 */
class UpgradedConnectionTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  static TestServer server;

  @BeforeAll
  static void start() throws Exception {
    server = TestServer.start();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void aFrameSentRightBehindTheUpgradeRequestIsDelivered() throws Exception {
    try (RawWebSocket ws = RawWebSocket.open(server.port(), 0)) {
      byte[] frame = maskedText("{\"content\":\"early\"}");
      ws.rawOut().write(concat(upgradeRequest("/early"), frame)); // one write, one segment
      ws.rawOut().flush();
      assertThat(ws.handshakeRaw("")).startsWith("HTTP/1.1 101");
      assertThat(json(ws.readText()).path("type").asText()).isEqualTo("system");
      JsonNode message = json(ws.readText());
      assertThat(message.path("type").asText()).isEqualTo("message");
      assertThat(message.path("content").asText()).isEqualTo("early");
    }
  }

  @Test
  void anOversizedFrameRightBehindTheUpgradeRequestIsRefusedWith1009() throws Exception {
    try (RawWebSocket ws = RawWebSocket.open(server.port(), 0)) {
      // announces 10 MB; only the header is sent: the guard must refuse it from the header alone
      byte[] header = RawWebSocket.frameHeader(1, true, 10_000_000L);
      ws.rawOut().write(concat(upgradeRequest("/early-big"), header));
      ws.rawOut().flush();
      assertThat(ws.handshakeRaw("")).startsWith("HTTP/1.1 101");
      RawWebSocket.Frame close = ws.awaitClose();
      assertThat(close.closeCode()).isEqualTo(1009);
    }
  }

  @Test
  void theConnectionKeepsWorkingAfterTheHandshakeRead() throws Exception {
    try (RawWebSocket ws = RawWebSocket.connect(server.port(), "/later")) {
      assertThat(json(ws.readText()).path("type").asText()).isEqualTo("system");
      for (int i = 0; i < 20; i++) {
        ws.sendText("{\"content\":" + i + "}");
        assertThat(json(ws.readText()).path("content").asInt()).isEqualTo(i);
      }
    }
  }

  private static byte[] upgradeRequest(String path) {
    byte[] key = new byte[16];
    ThreadLocalRandom.current().nextBytes(key);
    return ("GET "
            + path
            + " HTTP/1.1\r\nHost: 127.0.0.1:"
            + server.port()
            + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: "
            + Base64.getEncoder().encodeToString(key)
            + "\r\nSec-WebSocket-Version: 13\r\n\r\n")
        .getBytes(StandardCharsets.ISO_8859_1);
  }

  private static byte[] maskedText(String text) {
    byte[] payload = text.getBytes(StandardCharsets.UTF_8);
    byte[] header = RawWebSocket.frameHeader(1, true, payload.length);
    return concat(header, RawWebSocket.mask(payload, new byte[] {0x11, 0x22, 0x33, 0x44}));
  }

  private static byte[] concat(byte[] a, byte[] b) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(a);
    out.writeBytes(b);
    return out.toByteArray();
  }

  private static JsonNode json(String text) throws Exception {
    return JSON.readTree(text);
  }
}
