package dev.roomcast.example;

import java.nio.charset.StandardCharsets;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.glassfish.grizzly.Buffer;
import org.glassfish.grizzly.Connection;
import org.glassfish.grizzly.EmptyCompletionHandler;
import org.glassfish.grizzly.WriteResult;
import org.glassfish.grizzly.memory.Buffers;

/**
 * Refuses oversized WebSocket messages from their frame headers, before Tyrus buffers them.
 *
 * <p>Why: Tyrus collects a frame's whole payload in a per-connection buffer before it looks at its
 * size. A frame larger than that buffer ends with "Buffer overflow", a WARNING with a stack trace,
 * and close code 1011 (server error), which tells the client to retry the same thing later. Smaller
 * frames over the session's limit get the right 1009, but only after being buffered. This guard
 * reads only the 2-14 header bytes of each frame as they pass: a data frame, or a fragmented
 * message so far, with more payload than {@code maxMessageBytes} gets a close frame 1009 ("message
 * too big") written straight to the connection, which is then closed; none of its payload reaches
 * Tyrus or the hub, so memory stays bounded whatever length a frame announces.
 *
 * <p>Lengths are counted on the wire: with a compression extension (permessage-deflate) a frame
 * would inflate beyond them, but the example deploys none, so Tyrus negotiates none.
 *
 * <p>Called by {@link UpgradedConnectionFilter} for every read on an upgraded connection, with that
 * connection's {@link Position}. Grizzly delivers one connection's reads one at a time, so the
 * position needs no lock; the guard itself is immutable and shared.
 */
final class FrameSizeGuard {
  private static final Logger LOG = Logger.getLogger(FrameSizeGuard.class.getName());

  /** What {@link #scan} found. */
  enum Verdict {
    /** Pass the bytes on to Tyrus. */
    OK,
    /** The connection was refused with 1009; drop the bytes. */
    TOO_BIG
  }

  private final long maxMessageBytes;
  private final byte[] closeFrame;

  FrameSizeGuard(int maxMessageBytes) {
    this.maxMessageBytes = maxMessageBytes;
    byte[] reason =
        ("message too big (max " + maxMessageBytes + " bytes)").getBytes(StandardCharsets.UTF_8);
    byte[] f = new byte[4 + reason.length]; // reason < 126 bytes: one-byte length
    f[0] = (byte) 0x88; // FIN + close
    f[1] = (byte) (2 + reason.length);
    f[2] = (byte) (1009 >>> 8);
    f[3] = (byte) (1009 & 0xff);
    System.arraycopy(reason, 0, f, 4, reason.length);
    this.closeFrame = f;
  }

  /** Where one connection is in the frame stream. Confined to that connection's reads. */
  static final class Position {
    final byte[] header = new byte[14];
    int have; // header bytes collected so far
    long skip; // payload bytes of the current frame still to pass
    long messageBytes; // payload of the current (possibly fragmented) data message so far
    boolean refused;
  }

  /** Looks at the frame bytes of one read without consuming them. */
  Verdict scan(Connection<?> connection, Buffer b, Position st) {
    if (st.refused) {
      return Verdict.TOO_BIG;
    }
    int pos = b.position();
    int lim = b.limit();
    while (pos < lim) {
      if (st.skip > 0) {
        int n = (int) Math.min(st.skip, lim - pos);
        pos += n;
        st.skip -= n;
        continue;
      }
      st.header[st.have++] = b.get(pos++);
      int need = headerLength(st.header, st.have);
      if (need < 0 || st.have < need) {
        continue;
      }
      st.have = 0;
      int opcode = st.header[0] & 0x0f;
      long length = payloadLength(st.header);
      if (opcode == 0x1 || opcode == 0x2) {
        st.messageBytes = length; // a new data message
      } else if (opcode == 0x0) {
        st.messageBytes += length; // its continuation
      }
      if ((opcode <= 0x2 && (length < 0 || st.messageBytes > maxMessageBytes))) {
        st.refused = true;
        refuse(connection, length);
        return Verdict.TOO_BIG;
      }
      st.skip = length;
    }
    return Verdict.OK;
  }

  /** The header's full length once its first two bytes are in, else -1. */
  private static int headerLength(byte[] h, int have) {
    if (have < 2) {
      return -1;
    }
    int len7 = h[1] & 0x7f;
    int extended = len7 == 126 ? 2 : len7 == 127 ? 8 : 0;
    boolean masked = (h[1] & 0x80) != 0;
    return 2 + extended + (masked ? 4 : 0);
  }

  /** The payload length; negative when a 64-bit length has its top bit set (invalid). */
  private static long payloadLength(byte[] h) {
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

  @SuppressWarnings({"unchecked", "rawtypes"})
  private void refuse(Connection connection, long announced) {
    LOG.log(
        Level.FINE,
        () ->
            "refusing a " + announced + "-byte frame on " + connection.getPeerAddress() + ": 1009");
    Buffer frame = Buffers.wrap(connection.getMemoryManager(), closeFrame.clone());
    // Through the connection's ordered write queue, so it never lands inside a frame Tyrus is
    // writing; then the connection goes, and Tyrus tells the endpoint (which leaves the room).
    connection.write(
        connection.getPeerAddress(),
        frame,
        new EmptyCompletionHandler<WriteResult<Buffer, Object>>() {
          @Override
          public void completed(WriteResult<Buffer, Object> result) {
            connection.closeSilently();
          }

          @Override
          public void failed(Throwable throwable) {
            connection.closeSilently();
          }
        });
  }
}
