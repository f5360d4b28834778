package dev.roomcast.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class WebSocketFramesTest {

  @Test
  void headersRoundTripThroughTheReadersForEveryLengthClassMaskedOrNot() {
    byte[] key = {1, 2, 3, 4};
    for (long n : new long[] {0, 125, 126, 65_535, 65_536, 1L << 40}) {
      for (byte[] mask : new byte[][] {null, key}) {
        byte[] h = WebSocketFrames.header(WebSocketFrames.BINARY, false, n, mask);
        assertThat(h[0]).isEqualTo((byte) WebSocketFrames.BINARY); // not final
        assertThat((h[1] & 0x80) != 0).isEqualTo(mask != null);
        assertThat(WebSocketFrames.headerLength(h, 1)).isEqualTo(-1);
        assertThat(WebSocketFrames.headerLength(h, 2)).isEqualTo(h.length);
        assertThat(WebSocketFrames.payloadLength(h)).isEqualTo(n);
      }
    }
    assertThatThrownBy(() -> WebSocketFrames.header(1, true, 1, new byte[3]))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void closeFramesCarryTheCodeAndAReasonCutAtACharacterBoundary() {
    byte[] f = WebSocketFrames.closeFrame(4000, "slow consumer");
    assertThat(f[0]).isEqualTo((byte) 0x88);
    assertThat(f[1]).isEqualTo((byte) (2 + "slow consumer".length()));
    assertThat(((f[2] & 0xff) << 8) | (f[3] & 0xff)).isEqualTo(4000);
    byte[] cut = WebSocketFrames.closeReason("é".repeat(100)); // 200 bytes of 2-byte characters
    assertThat(cut.length).isEqualTo(122);
    assertThat(new String(cut, StandardCharsets.UTF_8)).isEqualTo("é".repeat(61));
    assertThat(WebSocketFrames.closeFrame(1000, "é".repeat(100)).length).isLessThanOrEqualTo(127);
  }

  @Test
  void eachEncodingIsBuiltOncePerFrameAndKeptApartFromTheOthers() {
    AtomicInteger built = new AtomicInteger();
    FrameEncoding upper =
        frame -> {
          built.incrementAndGet();
          return frame.text().toUpperCase().getBytes(StandardCharsets.UTF_8);
        };
    OutboundFrame f = OutboundFrame.system("{\"a\":1}");
    byte[] text = f.webSocketTextFrame();
    byte[] other = f.encoded(upper);
    assertThat(f.encoded(upper)).isSameAs(other);
    assertThat(f.encoded(FrameEncoding.WEBSOCKET_TEXT)).isSameAs(text);
    assertThat(built).hasValue(1);
    assertThat(new String(other, StandardCharsets.UTF_8)).isEqualTo("{\"A\":1}");
    assertThat(text).isEqualTo(WebSocketFrames.textFrame(f.utf8()));
  }
}
