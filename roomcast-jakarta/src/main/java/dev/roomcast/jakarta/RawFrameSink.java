package dev.roomcast.jakarta;

import dev.roomcast.spi.FrameEncoding;
import dev.roomcast.spi.OutboundFrame;

/**
 * Writes complete, pre-built WebSocket frames to one connection, past the container's per-message
 * encoding and framing: a broadcast is framed once per {@link #encoding() encoding} ({@link
 * OutboundFrame#encoded}) and the same bytes go to every member.
 *
 * <p>Given out by {@link RawFrameSinks#open}; the endpoint's transport calls {@link #write} with at
 * most one frame in flight, and the sink calls the callback it was opened with once per write, from
 * any thread. Frames are whole, unmasked server frames, and must be kept apart from the container's
 * own control frames (pings, pongs, close) by writing through the same queue.
 */
public interface RawFrameSink {
  /**
   * Which of a frame's encodings this connection takes ({@link OutboundFrame#encoded}): a plain
   * text frame unless the connection negotiated something else. Shared per broadcast and encoding.
   */
  default FrameEncoding encoding() {
    return FrameEncoding.WEBSOCKET_TEXT;
  }

  /**
   * Starts an asynchronous write of one whole frame. The array is shared with other connections and
   * must not be modified.
   *
   * @throws IllegalStateException when the connection is no longer open (the callback is not called
   *     then)
   */
  void write(byte[] frame);
}
