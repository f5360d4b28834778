package dev.roomcast.spi;

import java.nio.charset.StandardCharsets;

/**
 * RFC 6455 framing in one place: the headers and whole frames roomcast's server transports write,
 * and the header fields their inbound guards read. Server frames are unmasked; a masking key is
 * only for frames a client writes (test clients).
 *
 * <p>Stateless and thread-safe.
 */
public final class WebSocketFrames {
  /** Opcodes (RFC 6455 section 5.2). */
  public static final int CONTINUATION = 0x0;

  public static final int TEXT = 0x1;
  public static final int BINARY = 0x2;
  public static final int CLOSE = 0x8;
  public static final int PING = 0x9;
  public static final int PONG = 0xA;

  /** The longest close reason: a control frame's payload is at most 125 bytes, 2 are the code. */
  public static final int MAX_CLOSE_REASON_BYTES = 123;

  private WebSocketFrames() {}

  /**
   * A frame header announcing {@code length} payload bytes.
   *
   * @param maskKey the 4-byte masking key of a client frame, or {@code null} for a server frame
   */
  public static byte[] header(int opcode, boolean fin, long length, byte[] maskKey) {
    if (length < 0) {
      throw new IllegalArgumentException("negative length " + length);
    }
    if (maskKey != null && maskKey.length != 4) {
      throw new IllegalArgumentException("a masking key has 4 bytes, not " + maskKey.length);
    }
    int extended = length <= 125 ? 0 : length <= 0xFFFF ? 2 : 8;
    byte[] h = new byte[2 + extended + (maskKey == null ? 0 : 4)];
    writeHeader(h, opcode, fin, length, maskKey != null);
    if (maskKey != null) {
      System.arraycopy(maskKey, 0, h, 2 + extended, 4);
    }
    return h;
  }

  /** A whole unmasked final text frame around {@code utf8}. */
  public static byte[] textFrame(byte[] utf8) {
    int n = utf8.length;
    int header = n <= 125 ? 2 : n <= 0xFFFF ? 4 : 10;
    byte[] f = new byte[header + n];
    writeHeader(f, TEXT, true, n, false);
    System.arraycopy(utf8, 0, f, header, n);
    return f;
  }

  /**
   * A whole unmasked close frame; {@code reason} is cut to at most {@value #MAX_CLOSE_REASON_BYTES}
   * bytes of UTF-8, at a character boundary.
   */
  public static byte[] closeFrame(int code, String reason) {
    byte[] text = closeReason(reason);
    byte[] f = new byte[4 + text.length];
    writeHeader(f, CLOSE, true, 2 + text.length, false);
    f[2] = (byte) (code >>> 8);
    f[3] = (byte) code;
    System.arraycopy(text, 0, f, 4, text.length);
    return f;
  }

  /** {@code reason} as UTF-8, cut at a character boundary to fit a close frame. */
  public static byte[] closeReason(String reason) {
    byte[] b = reason.getBytes(StandardCharsets.UTF_8);
    if (b.length <= MAX_CLOSE_REASON_BYTES) {
      return b;
    }
    int end = MAX_CLOSE_REASON_BYTES;
    while (end > 0 && (b[end] & 0xC0) == 0x80) {
      end--; // b[end] continues a character: cut before that character starts
    }
    return java.util.Arrays.copyOf(b, end);
  }

  /** A header's full length once its first two bytes ({@code have} of them) are in, else -1. */
  public static int headerLength(byte[] h, int have) {
    if (have < 2) {
      return -1;
    }
    int len7 = h[1] & 0x7f;
    int extended = len7 == 126 ? 2 : len7 == 127 ? 8 : 0;
    boolean masked = (h[1] & 0x80) != 0;
    return 2 + extended + (masked ? 4 : 0);
  }

  /**
   * The payload length of a whole header; negative when a 64-bit length has its top bit set (which
   * RFC 6455 forbids).
   */
  public static long payloadLength(byte[] h) {
    int len7 = h[1] & 0x7f;
    if (len7 < 126) {
      return len7;
    }
    if (len7 == 126) {
      return ((h[2] & 0xffL) << 8) | (h[3] & 0xffL);
    }
    long v = 0;
    for (int i = 2; i < 10; i++) {
      v = (v << 8) | (h[i] & 0xffL);
    }
    return v;
  }

  private static void writeHeader(byte[] f, int opcode, boolean fin, long n, boolean masked) {
    f[0] = (byte) ((fin ? 0x80 : 0) | opcode);
    int mask = masked ? 0x80 : 0;
    if (n <= 125) {
      f[1] = (byte) (mask | n);
    } else if (n <= 0xFFFF) {
      f[1] = (byte) (mask | 126);
      f[2] = (byte) (n >>> 8);
      f[3] = (byte) n;
    } else {
      f[1] = (byte) (mask | 127);
      for (int i = 0; i < 8; i++) {
        f[2 + i] = (byte) (n >>> (56 - 8 * i));
      }
    }
  }
}
