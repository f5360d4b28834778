package dev.roomcast.grizzly.internal;

import dev.roomcast.spi.WebSocketFrames;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.glassfish.grizzly.Buffer;
import org.glassfish.grizzly.Connection;
import org.glassfish.grizzly.EmptyCompletionHandler;
import org.glassfish.grizzly.WriteResult;
import org.glassfish.grizzly.memory.Buffers;

/**
 * Checks every client frame from its header as the bytes pass, before Tyrus buffers any payload,
 * and fails the connection with a close frame when a rule is broken:
 *
 * <ul>
 *   <li><b>1002</b> (protocol error, RFC 6455 §5.1-5.5): a frame that is not masked, has a reserved
 *       bit set (no extension is negotiated), uses an unknown opcode, or is a control frame that is
 *       fragmented or longer than 125 bytes.
 *   <li><b>1009</b>: a data frame, or a fragmented message so far, with more payload than {@code
 *       maxMessageBytes}. Tyrus would collect the whole payload first and then close a frame larger
 *       than its buffer with 1011 and a logged stack trace.
 *   <li><b>1008</b>: a message still incomplete {@code messageTimeout} after its first frame began
 *       (checked whenever bytes arrive; a peer that sends nothing at all is the keepalive's).
 *   <li><b>1013</b>: the server's {@link InboundBudget} is full. Payload of messages that have
 *       begun but not ended is held by Tyrus until they end; the guard counts it against the budget
 *       while it is held.
 * </ul>
 *
 * <p>None of the refused frame's payload reaches Tyrus or the hub, so memory stays bounded whatever
 * a frame announces. Lengths are counted on the wire: with a compression extension a frame would
 * inflate beyond them, but roomcast-grizzly negotiates none.
 *
 * <p>Called by {@link UpgradedConnectionFilter} for every read on an upgraded connection, with that
 * connection's {@link Position}. Grizzly delivers one connection's reads one at a time, so the
 * position's parsing state needs no lock; the part of the budget it holds is released under its
 * monitor because the close may come on another thread. The guard itself is immutable and shared.
 */
final class FrameGuard {
  private static final Logger LOG = Logger.getLogger(FrameGuard.class.getName());

  /** What {@link #scan} found. */
  enum Verdict {
    /** Pass the bytes on to Tyrus. */
    OK,
    /** The connection was failed with a close frame; drop the bytes. */
    REFUSED
  }

  private final long maxMessageBytes;
  private final long messageTimeoutNanos;
  private final Edge edge;
  private final byte[] tooBig;

  FrameGuard(int maxMessageBytes, Edge edge) {
    this.maxMessageBytes = maxMessageBytes;
    this.messageTimeoutNanos = edge.config.messageTimeout().toNanos();
    this.edge = edge;
    this.tooBig =
        WebSocketFrames.closeFrame(1009, "message too big (max " + maxMessageBytes + " bytes)");
  }

  /** Where one connection is in the frame stream. Parsing state is confined to its reads. */
  static final class Position {
    final byte[] header = new byte[14];
    int have; // header bytes collected so far
    long skip; // payload bytes of the current frame still to pass
    boolean inData; // the current frame is a data or continuation frame
    boolean fragmented; // a data message with FIN clear has begun and not ended
    long messageBytes; // payload of the current data message announced so far
    long messageStart; // System.nanoTime() when it began, while one is incomplete
    boolean refused;
    private long held; // bytes counted against the inbound budget; guarded by this

    /** Payload of an incomplete message received so far (what Tyrus holds for it). */
    long incompleteBytes() {
      boolean incomplete = fragmented || (inData && skip > 0);
      return incomplete ? messageBytes - (inData ? skip : 0) : 0;
    }

    /** Moves the budget this position holds to {@code now}; false if the budget is full. */
    synchronized boolean hold(InboundBudget budget, long now) {
      if (now > held) {
        if (!budget.reserve(now - held)) {
          return false;
        }
      } else if (now < held) {
        budget.release(held - now);
      }
      held = now;
      return true;
    }

    /** Gives back what this position holds; the connection is gone. */
    synchronized void release(InboundBudget budget) {
      budget.release(held);
      held = 0;
    }
  }

  /** Looks at the frame bytes of one read without consuming them. */
  Verdict scan(Connection<?> connection, Buffer b, Position st) {
    if (st.refused) {
      return Verdict.REFUSED;
    }
    int pos = b.position();
    int lim = b.limit();
    while (pos < lim) {
      if (st.skip > 0) {
        int n = (int) Math.min(st.skip, lim - pos);
        pos += n;
        st.skip -= n;
        if (st.skip == 0 && st.inData && !st.fragmented) {
          st.messageBytes = 0; // the message is complete
          st.messageStart = 0;
        }
        continue;
      }
      st.header[st.have++] = b.get(pos++);
      int need = WebSocketFrames.headerLength(st.header, st.have);
      if (need < 0 || st.have < need) {
        continue;
      }
      st.have = 0;
      String problem = check(st);
      if (problem != null) {
        edge.counters.protocolErrors.increment();
        return refuse(connection, st, 1002, problem);
      }
      if (st.messageBytes > maxMessageBytes) {
        return refuse(connection, st, tooBig, "frame too big");
      }
    }
    if (!st.hold(edge.inbound, st.incompleteBytes())) {
      edge.counters.inboundBudgetRefused.increment();
      return refuse(connection, st, 1013, "server busy; try again later");
    }
    if (st.messageStart != 0 && System.nanoTime() - st.messageStart > messageTimeoutNanos) {
      edge.counters.messageTimeouts.increment();
      return refuse(
          connection,
          st,
          1008,
          "message not completed within "
              + TimeUnit.NANOSECONDS.toSeconds(messageTimeoutNanos)
              + " s");
    }
    return Verdict.OK;
  }

  /**
   * Applies a complete frame header to the position.
   *
   * @return why the frame breaks RFC 6455, or {@code null}
   */
  private static String check(Position st) {
    byte[] h = st.header;
    boolean fin = (h[0] & 0x80) != 0;
    int opcode = h[0] & 0x0f;
    long length = WebSocketFrames.payloadLength(h);
    if ((h[1] & 0x80) == 0) {
      return "client frames must be masked";
    }
    if ((h[0] & 0x70) != 0) {
      return "reserved bits set";
    }
    if (opcode >= 0x8) {
      if (opcode > 0xA) {
        return "unknown opcode " + opcode;
      }
      if (!fin || length > 125) {
        return "control frames must be whole and at most 125 bytes";
      }
      st.inData = false;
      st.skip = length;
      return null;
    }
    if (opcode > 0x2) {
      return "unknown opcode " + opcode;
    }
    if (length < 0) {
      return "frame length out of range";
    }
    if (opcode == 0x0) {
      if (!st.fragmented) {
        return "continuation frame without a message";
      }
      st.messageBytes += length;
    } else {
      if (st.fragmented) {
        return "new message inside a fragmented one";
      }
      st.messageBytes = length;
      st.messageStart = System.nanoTime();
    }
    st.fragmented = !fin;
    st.inData = true;
    st.skip = length;
    if (fin && length == 0) {
      st.messageBytes = 0;
    }
    if (!st.fragmented && length == 0) {
      st.messageStart = 0;
    }
    return null;
  }

  private Verdict refuse(Connection<?> connection, Position st, int code, String reason) {
    return refuse(connection, st, WebSocketFrames.closeFrame(code, reason), code + " " + reason);
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private Verdict refuse(Connection connection, Position st, byte[] closeFrame, String why) {
    st.refused = true;
    st.release(edge.inbound);
    LOG.log(Level.FINE, () -> "failing WebSocket " + connection.getPeerAddress() + ": " + why);
    Buffer frame = Buffers.wrap(connection.getMemoryManager(), closeFrame.clone());
    // Through the connection's ordered write queue, so it never lands inside a frame Tyrus is
    // writing; then the connection goes (after the close grace at the latest, if the peer does not
    // read), and Tyrus tells the endpoint, which leaves the room.
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
            connection.terminateSilently();
          }
        });
    edge.terminateLater(connection, Edge.CLOSE_GRACE_MILLIS);
    return Verdict.REFUSED;
  }
}
