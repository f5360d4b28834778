package dev.roomcast.spi;

import dev.roomcast.internal.FrameHolders;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * One encoded server-to-client frame. A broadcast is encoded once into one instance and that same
 * instance (same {@link String}, same bytes) goes to every recipient.
 *
 * <p>Immutable and thread-safe. {@link #epoch()} and {@link #offset()} are set for room messages
 * (so transports such as SSE can emit an event id) and are {@code null}/{@code -1} for system and
 * error frames.
 */
public final class OutboundFrame {
  private final String text;
  private final byte[] utf8;
  private final String epoch;
  private final long offset;
  private final long publishedAtMillis;

  /** Encodings built so far as pairs {@code [encoding, bytes, ...]}; replaced, never changed. */
  private volatile Object[] encoded = NONE;

  private static final Object[] NONE = new Object[0];

  /** Outboxes holding this frame right now: the hub's memory budget counts a shared frame once. */
  @SuppressWarnings("unused") // through HOLDERS
  private volatile int holders;

  private static final VarHandle HOLDERS;

  static {
    try {
      HOLDERS = MethodHandles.lookup().findVarHandle(OutboundFrame.class, "holders", int.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
    FrameHolders.install(
        new FrameHolders.Access() {
          @Override
          public int get(OutboundFrame frame) {
            return (int) HOLDERS.getVolatile(frame);
          }

          @Override
          public boolean compareAndSet(OutboundFrame frame, int expected, int next) {
            return HOLDERS.compareAndSet(frame, expected, next);
          }

          @Override
          public int addAndGet(OutboundFrame frame, int delta) {
            return (int) HOLDERS.getAndAdd(frame, delta) + delta;
          }
        });
  }

  private OutboundFrame(String text, String epoch, long offset, long publishedAtMillis) {
    this.text = text;
    this.utf8 = text.getBytes(StandardCharsets.UTF_8);
    this.epoch = epoch;
    this.offset = offset;
    this.publishedAtMillis = publishedAtMillis;
  }

  /** A frame that is not part of a room's history (welcome, notices, errors). */
  public static OutboundFrame system(String text) {
    return new OutboundFrame(text, null, -1, -1);
  }

  /** A room message frame at the given history position. */
  public static OutboundFrame roomMessage(String text, String epoch, long offset) {
    return new OutboundFrame(text, epoch, offset, -1);
  }

  /**
   * A room message frame at the given history position, published at a known wall-clock time (for
   * the publish-to-delivery latency metric).
   */
  public static OutboundFrame roomMessage(
      String text, String epoch, long offset, long publishedAtMillis) {
    return new OutboundFrame(text, epoch, offset, publishedAtMillis);
  }

  /** Epoch milliseconds when the message was accepted, or {@code -1} if unknown. */
  public long publishedAtMillis() {
    return publishedAtMillis;
  }

  /** The JSON text of the frame. */
  public String text() {
    return text;
  }

  /**
   * The UTF-8 encoding of {@link #text()}, computed once. Callers must not modify the array.
   *
   * @return the shared byte array
   */
  public byte[] utf8() {
    return utf8;
  }

  /**
   * This frame in {@code encoding}, built on first use and then shared by every recipient that asks
   * for the same encoding: a broadcast is encoded once per node and encoding, not once per
   * connection. Callers must not modify the array. (Two threads racing on the first call may both
   * encode; one result is kept, and both are equal.)
   *
   * @return the shared bytes
   */
  public byte[] encoded(FrameEncoding encoding) {
    Object[] e = encoded;
    for (int i = 0; i < e.length; i += 2) {
      if (e[i] == encoding) {
        return (byte[]) e[i + 1];
      }
    }
    byte[] bytes = Objects.requireNonNull(encoding.encode(this), "encoding returned null");
    synchronized (this) {
      Object[] now = encoded;
      for (int i = 0; i < now.length; i += 2) {
        if (now[i] == encoding) {
          return (byte[]) now[i + 1];
        }
      }
      Object[] next = Arrays.copyOf(now, now.length + 2);
      next[now.length] = encoding;
      next[now.length + 1] = bytes;
      encoded = next;
      return bytes;
    }
  }

  /**
   * The whole unmasked RFC 6455 text frame (FIN, opcode 1, payload length, the UTF-8 payload):
   * {@link #encoded(FrameEncoding)} with {@link FrameEncoding#WEBSOCKET_TEXT}, for server
   * transports that write raw frames.
   *
   * @return the shared frame bytes
   */
  public byte[] webSocketTextFrame() {
    return encoded(FrameEncoding.WEBSOCKET_TEXT);
  }

  /** Size in bytes on the wire (payload only), used for outbox accounting. */
  public int byteLength() {
    return utf8.length;
  }

  /** The room epoch of a room message, or {@code null} for other frames. */
  public String epoch() {
    return epoch;
  }

  /** The room offset of a room message, or {@code -1} for other frames. */
  public long offset() {
    return offset;
  }

  /** Whether this frame is a room message with a history position. */
  public boolean hasPosition() {
    return epoch != null;
  }

  @Override
  public String toString() {
    return text;
  }
}
