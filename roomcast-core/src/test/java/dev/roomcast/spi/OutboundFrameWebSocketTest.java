package dev.roomcast.spi;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class OutboundFrameWebSocketTest {

  @Test
  void framesEveryLengthClassPerRfc6455() {
    for (int n : new int[] {0, 1, 125, 126, 127, 65_535, 65_536, 200_000}) {
      String text = "é".repeat(n / 2) + "a".repeat(n % 2); // UTF-8 length n
      OutboundFrame f = OutboundFrame.system(text);
      byte[] frame = f.webSocketTextFrame();
      ByteBuffer b = ByteBuffer.wrap(frame);
      assertThat(b.get()).isEqualTo((byte) 0x81);
      int len7 = b.get();
      assertThat(len7 & 0x80).as("server frames are not masked").isZero();
      long len = len7 == 126 ? Short.toUnsignedInt(b.getShort()) : len7 == 127 ? b.getLong() : len7;
      assertThat(len).isEqualTo(n);
      assertThat(len7).isEqualTo(n <= 125 ? n : n <= 65_535 ? 126 : 127);
      byte[] payload = Arrays.copyOfRange(frame, b.position(), frame.length);
      assertThat(new String(payload, StandardCharsets.UTF_8)).isEqualTo(text);
      assertThat(f.webSocketTextFrame()).as("built once").isSameAs(frame);
    }
  }
}
