package dev.roomcast.spi;

/**
 * What a transport adapter (Jakarta WebSocket, SSE, a test fake) gives the hub for one client
 * connection: a way to write one frame asynchronously and a way to close.
 *
 * <p>Threading contract: the hub's per-connection outbox is the only caller of {@link #send}, and
 * it never has more than one send in flight: it calls {@code send} again only after the previous
 * callback ran. {@link #close} may be called from any thread, at most once per connection by the
 * hub, possibly while a send is in flight. Implementations must not block in either method for
 * long: hand the write to the container's asynchronous API.
 */
public interface Transport {

  /**
   * Starts writing one frame. Exactly one call to {@code done} must follow, on any thread (possibly
   * inline, before this method returns): with {@code null} when the frame was handed to the
   * network, or with the failure.
   *
   * @param frame the frame to write; shared with other recipients, must not be modified
   * @param done the completion callback
   */
  void send(OutboundFrame frame, WriteCallback done);

  /**
   * Closes the connection with a WebSocket close code (SSE transports map it to ending the
   * response). Must not throw; must be idempotent.
   *
   * @param code a close code from {@link dev.roomcast.CloseCodes}
   * @param reason a short human-readable reason (at most 123 bytes in UTF-8)
   */
  void close(int code, String reason);

  /**
   * Asks the transport to stop reading this connection's inbound frames for now, because the client
   * publishes faster than its rate and its queue is filling; TCP then pushes back on the client.
   * Optional: the default does nothing and the hub relies on its bounded queue alone. Called from
   * any thread; must not block. Followed by {@link #resumeReading} when the queue drained, unless
   * the connection closes first.
   */
  default void pauseReading() {}

  /** Undoes {@link #pauseReading}. Called from any thread; must not block. */
  default void resumeReading() {}

  /** Completion of one {@link Transport#send}. */
  @FunctionalInterface
  interface WriteCallback {
    /**
     * @param failure {@code null} on success, otherwise why the write failed
     */
    void completed(Throwable failure);
  }
}
