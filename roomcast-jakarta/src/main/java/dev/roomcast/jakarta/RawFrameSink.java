package dev.roomcast.jakarta;

/**
 * Writes complete, pre-built WebSocket frames to one connection, bypassing the container's
 * per-message framing; see {@link SessionTransport}. Implementations call the callback given at
 * creation once per write.
 */
interface RawFrameSink {
  /**
   * Starts an asynchronous write of one whole frame.
   *
   * @throws IllegalStateException when the session is no longer open
   */
  void write(byte[] frame);
}
