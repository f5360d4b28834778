package dev.roomcast.spi;

/**
 * One way of putting an {@link OutboundFrame} on the wire, such as a WebSocket text frame. {@link
 * OutboundFrame#encoded(FrameEncoding)} builds a frame's bytes once per encoding and shares them
 * with every recipient using that encoding, so a second encoding (a compressed one, say) for some
 * connections does not cost the others their shared bytes, nor itself more than one encoding per
 * broadcast.
 *
 * <p>Implementations are compared by identity (keep one instance per encoding) and must be
 * thread-safe and pure: the same frame always gives equal bytes.
 */
@FunctionalInterface
public interface FrameEncoding {
  /** An unmasked, final RFC 6455 text frame of the frame's UTF-8 text. */
  FrameEncoding WEBSOCKET_TEXT = frame -> WebSocketFrames.textFrame(frame.utf8());

  /** The wire bytes of {@code frame}; called about once per frame and encoding. */
  byte[] encode(OutboundFrame frame);
}
