package dev.roomcast.example;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.roomcast.jakarta.testkit.RawWebSocket;
import dev.roomcast.jakarta.testkit.WsClient;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * RFC 6455 at the edge (issue 13): frames a client must not send fail the connection with 1002
 * before any of their payload is buffered, a message that trickles past its deadline is closed with
 * 1008, and a peer that floods pings without reading is cut off as a slow consumer. Legal
 * fragmentation with control frames in between still works, and the room never sees the bad frames.
 */
class WebSocketProtocolTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final byte[] KEY = {0x11, 0x22, 0x33, 0x44};
  static TestServer server;

  @BeforeAll
  static void start() throws IOException {
    server = TestServer.start(Map.of("ROOMCAST_MESSAGE_TIMEOUT_SECONDS", "1"));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @AfterEach
  void nothingLeaked() {
    server.awaitNothingOpen(Duration.ofSeconds(10));
  }

  private static RawWebSocket joined(String room) throws IOException {
    RawWebSocket c = RawWebSocket.connect(server.port(), "/" + room);
    assertThat(JSON.readTree(c.readText()).path("type").asText()).isEqualTo("system");
    return c;
  }

  /** A frame header with every bit given: first byte, masked or not, 7-bit length. */
  private static byte[] frame(int firstByte, boolean masked, byte[] payload) {
    ByteArrayOutputStream f = new ByteArrayOutputStream();
    f.write(firstByte);
    f.write((masked ? 0x80 : 0) | payload.length);
    if (masked) {
      f.writeBytes(KEY);
      f.writeBytes(RawWebSocket.mask(payload, KEY));
    } else {
      f.writeBytes(payload);
    }
    return f.toByteArray();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "unmasked text, 0x81, false, 'client frames must be masked'",
    "reserved bit 1, 0xC1, true, 'reserved bits set'",
    "reserved bit 3, 0x91, true, 'reserved bits set'",
    "opcode 3, 0x83, true, 'unknown opcode 3'",
    "opcode 11, 0x8B, true, 'unknown opcode 11'",
    "fragmented ping, 0x09, true, 'control frames must be whole and at most 125 bytes'",
    "continuation first, 0x80, true, 'continuation frame without a message'",
  })
  void framesAClientMustNotSendFailTheConnectionWith1002(
      String what, String firstByte, boolean masked, String reason) throws Exception {
    try (RawWebSocket bad = joined("rfc");
        WsClient other = WsClient.connect(server.ws("/rfc"))) {
      other.next("system");
      byte[] payload = "{\"content\":\"evil\"}".getBytes(StandardCharsets.UTF_8);
      bad.rawOut().write(frame(Integer.decode(firstByte), masked, payload));
      bad.rawOut().flush();
      RawWebSocket.Frame close = bad.awaitClose();
      assertThat(close.closeCode()).as(what).isEqualTo(1002);
      assertThat(close.closeReason()).as(what).isEqualTo(reason);
      other.send("{\"content\":\"after\"}");
      assertThat(other.next("message").path("content").asText())
          .as("the bad frame was never published")
          .isEqualTo("after");
    }
  }

  @Test
  void aPingLongerThan125BytesIs1002() throws Exception {
    try (RawWebSocket bad = joined("longping")) {
      byte[] payload = new byte[126];
      OutputStream out = bad.rawOut();
      out.write(RawWebSocket.frameHeader(RawWebSocket.PING, true, payload.length));
      out.write(RawWebSocket.mask(payload, KEY));
      out.flush();
      assertThat(bad.awaitClose().closeCode()).isEqualTo(1002);
    }
  }

  @Test
  void aNewMessageInsideAFragmentedOneIs1002() throws Exception {
    try (RawWebSocket bad = joined("interleaved")) {
      byte[] part = "{\"content\":".getBytes(StandardCharsets.UTF_8);
      bad.rawOut().write(frame(RawWebSocket.TEXT, true, part)); // FIN clear
      bad.rawOut().write(frame(0x80 | RawWebSocket.TEXT, true, part));
      bad.rawOut().flush();
      RawWebSocket.Frame close = bad.awaitClose();
      assertThat(close.closeCode()).isEqualTo(1002);
      assertThat(close.closeReason()).isEqualTo("new message inside a fragmented one");
    }
  }

  @Test
  void aFragmentedMessageWithPingsBetweenItsFragmentsIsDelivered() throws Exception {
    try (RawWebSocket c = joined("fragments");
        WsClient other = WsClient.connect(server.ws("/fragments"))) {
      other.next("system");
      c.read(); // other's join notice
      OutputStream out = c.rawOut();
      out.write(frame(RawWebSocket.TEXT, true, "{\"content\":".getBytes(StandardCharsets.UTF_8)));
      out.write(frame(0x80 | RawWebSocket.PING, true, "p".getBytes(StandardCharsets.UTF_8)));
      out.write(frame(0x00, true, "\"in three".getBytes(StandardCharsets.UTF_8)));
      out.write(frame(0x80, true, " parts\"}".getBytes(StandardCharsets.UTF_8)));
      out.flush();
      assertThat(c.read().opcode()).isEqualTo(RawWebSocket.PONG);
      assertThat(other.next("message").path("content").asText()).isEqualTo("in three parts");
    }
  }

  @Test
  void aMessageThatTricklesPastItsDeadlineIs1008() throws Exception {
    try (RawWebSocket slow = joined("trickle")) {
      OutputStream out = slow.rawOut();
      byte[] payload = RawWebSocket.mask(new byte[100], KEY);
      out.write(RawWebSocket.frameHeader(RawWebSocket.TEXT, true, payload.length));
      RawWebSocket.Frame close = null;
      // a byte every 200 ms: each read finds the message older; 1 s is the limit here
      for (int i = 0; i < payload.length && close == null; i++) {
        try {
          out.write(payload, i, 1);
          out.flush();
          Thread.sleep(200);
        } catch (IOException closedByServer) {
          break;
        }
      }
      close = slow.awaitClose();
      assertThat(close.closeCode()).isEqualTo(1008);
      assertThat(close.closeReason()).isEqualTo("message not completed within 1 s");
    }
    assertThat(server.metrics().path("edge").path("message_timeouts").asLong()).isPositive();
    assertThat(server.metrics().path("edge").path("inbound_bytes").asLong()).isZero();
  }

  @Test
  void aPeerThatFloodsPingsWithoutReadingIsCutOffAndTheRoomCarriesOn() throws Exception {
    long before = server.metrics().path("edge").path("write_queue_overflows").asLong();
    try (RawWebSocket flooder = RawWebSocket.connect(server.port(), "/pings", 4096);
        WsClient a = WsClient.connect(server.ws("/pings"));
        WsClient b = WsClient.connect(server.ws("/pings"))) {
      a.next("system");
      b.next("system");
      byte[] ping = frame(0x80 | RawWebSocket.PING, true, new byte[125]);
      byte[] batch = new byte[ping.length * 1000];
      for (int i = 0; i < 1000; i++) {
        System.arraycopy(ping, 0, batch, i * ping.length, ping.length);
      }
      boolean cutOff = false;
      for (int i = 0; i < 2_000 && !cutOff; i++) { // up to 2,000,000 pings, 262 MB
        try {
          flooder.rawOut().write(batch);
        } catch (IOException e) {
          cutOff = true; // the server closed it
        }
      }
      final long overflowsBefore = before;
      TestServer.await(
          "the flooder was cut off as a slow consumer",
          Duration.ofSeconds(30),
          () ->
              server.metrics().path("edge").path("write_queue_overflows").asLong()
                  > overflowsBefore);
      a.send("{\"content\":\"still chatting\"}");
      assertThat(b.next("message").path("content").asText()).isEqualTo("still chatting");
    }
  }
}
