package dev.roomcast.bench.floor;

import java.nio.ByteBuffer;

/** RFC 6455 framing for the floor: server frames are never masked, client frames always are. */
final class WebSocketFrames {
  static final int TEXT = 0x1;
  static final int CONTINUATION = 0x0;
  static final int BINARY = 0x2;
  static final int CLOSE = 0x8;
  static final int PING = 0x9;
  static final int PONG = 0xA;

  private WebSocketFrames() {}

  /** One complete, unmasked server frame (FIN set) ready to be written as it is. */
  static ByteBuffer frame(int opcode, byte[] payload) {
    int n = payload.length;
    int header = n < 126 ? 2 : n <= 0xFFFF ? 4 : 10;
    ByteBuffer b = ByteBuffer.allocate(header + n);
    b.put((byte) (0x80 | opcode));
    if (n < 126) {
      b.put((byte) n);
    } else if (n <= 0xFFFF) {
      b.put((byte) 126).putShort((short) n);
    } else {
      b.put((byte) 127).putLong(n);
    }
    return b.put(payload).flip();
  }

  /** A close frame with {@code code} and no reason. */
  static ByteBuffer close(int code) {
    return frame(CLOSE, new byte[] {(byte) (code >> 8), (byte) code});
  }

  /** One decoded client frame: opcode, FIN, and the unmasked payload. */
  record Inbound(int opcode, boolean fin, byte[] payload) {}

  /** Why a client frame was refused, with the close code to send. */
  static final class ProtocolError extends Exception {
    private static final long serialVersionUID = 1L;
    final int code;

    ProtocolError(int code, String message) {
      super(message, null, false, false);
      this.code = code;
    }
  }

  /**
   * Decodes the next frame from {@code in} (position at a frame start), or returns null and leaves
   * the position unchanged when the frame is not complete yet.
   */
  static Inbound next(ByteBuffer in, int maxPayload) throws ProtocolError {
    int start = in.position();
    if (in.remaining() < 2) {
      return null;
    }
    int b0 = in.get() & 0xFF;
    int b1 = in.get() & 0xFF;
    if ((b1 & 0x80) == 0) {
      throw new ProtocolError(1002, "unmasked client frame");
    }
    if ((b0 & 0x70) != 0) {
      throw new ProtocolError(1002, "reserved bits set (no extension was negotiated)");
    }
    long len = b1 & 0x7F;
    if (len == 126) {
      if (in.remaining() < 2) {
        in.position(start);
        return null;
      }
      len = in.getShort() & 0xFFFF;
    } else if (len == 127) {
      if (in.remaining() < 8) {
        in.position(start);
        return null;
      }
      len = in.getLong();
    }
    if (len < 0 || len > maxPayload) {
      throw new ProtocolError(1009, "frame of " + len + " bytes");
    }
    if (in.remaining() < 4 + len) {
      in.position(start);
      return null;
    }
    byte[] mask = new byte[4];
    in.get(mask);
    byte[] payload = new byte[(int) len];
    in.get(payload);
    for (int i = 0; i < payload.length; i++) {
      payload[i] ^= mask[i & 3];
    }
    return new Inbound(b0 & 0x0F, (b0 & 0x80) != 0, payload);
  }
}
