package dev.roomcast.bench.floor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class FloorProtocolTest {
  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static String content(String json) {
    byte[] c = RoomJson.content(utf8(json));
    return c == null ? null : new String(c, StandardCharsets.UTF_8);
  }

  @Test
  void contentIsCopiedRawWhateverItsShape() {
    assertThat(content("{\"content\":{\"r\":1,\"s\":2,\"p\":\"}\"}}"))
        .isEqualTo("{\"r\":1,\"s\":2,\"p\":\"}\"}");
    assertThat(content("{ \"x\": [1, {\"a\": \"}\"}], \"content\" : \"hi \\\" there\" }"))
        .isEqualTo("\"hi \\\" there\"");
    assertThat(content("{\"content\":12}")).isEqualTo("12");
  }

  @Test
  void framesWithoutContentAreIgnored() {
    assertThat(content("{\"x\":1}")).isNull();
    assertThat(content("[1]")).isNull();
    assertThat(content("{\"content\":")).isNull();
    assertThat(content("{\"content\":\"open")).isNull();
  }

  /** A masked client frame as the JDK client sends it. */
  private static ByteBuffer clientFrame(byte[] payload) {
    byte[] mask = {1, 2, 3, 4};
    ByteBuffer b = ByteBuffer.allocate(payload.length + 14);
    b.put((byte) 0x81);
    if (payload.length < 126) {
      b.put((byte) (0x80 | payload.length));
    } else {
      b.put((byte) (0x80 | 126)).putShort((short) payload.length);
    }
    b.put(mask);
    for (int i = 0; i < payload.length; i++) {
      b.put((byte) (payload[i] ^ mask[i & 3]));
    }
    return b.flip();
  }

  @Test
  void decodesMaskedFramesAndWaitsForIncompleteOnes() throws Exception {
    byte[] big = utf8("x".repeat(20_000));
    ByteBuffer whole = clientFrame(big);
    ByteBuffer cut = whole.duplicate().limit(whole.limit() - 1);
    assertThat(WebSocketFrames.next(cut, 65_536)).isNull();
    assertThat(cut.position()).isZero();
    WebSocketFrames.Inbound f = WebSocketFrames.next(whole, 65_536);
    assertThat(f.opcode()).isEqualTo(WebSocketFrames.TEXT);
    assertThat(f.fin()).isTrue();
    assertThat(f.payload()).isEqualTo(big);
    assertThat(whole.hasRemaining()).isFalse();
  }

  @Test
  void refusesOversizedAndUnmaskedFrames() {
    assertThatThrownBy(() -> WebSocketFrames.next(clientFrame(new byte[2000]), 1000))
        .isInstanceOf(WebSocketFrames.ProtocolError.class);
    ByteBuffer unmasked = WebSocketFrames.frame(WebSocketFrames.TEXT, utf8("hi"));
    assertThatThrownBy(() -> WebSocketFrames.next(unmasked, 1000))
        .isInstanceOf(WebSocketFrames.ProtocolError.class);
  }

  @Test
  void handshakeAnswersWithTheRfcAcceptAndStripsTheRoom() {
    Handshake h =
        Handshake.parse(
            "GET /lobby/ HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n");
    assertThat(h.room()).isEqualTo("lobby");
    // the example key and accept of RFC 6455, section 1.3
    assertThat(new String(h.switchingProtocols(), StandardCharsets.US_ASCII))
        .contains("Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n");
    assertThat(Handshake.parse("GET /health HTTP/1.1\r\n\r\n").webSocketKey()).isNull();
  }
}
