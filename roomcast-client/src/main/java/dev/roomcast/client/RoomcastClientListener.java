package dev.roomcast.client;

/**
 * What a {@link RoomcastClient} tells the application. Every method has an empty default, so
 * implement only what you need.
 *
 * <p><b>Threads:</b> calls for one client never overlap and come in the order the events happened,
 * on an {@link java.net.http.HttpClient} thread or the client's scheduler thread. A listener may
 * call the client ({@code send}, {@code close}) from inside a callback. A slow listener delays the
 * client's reading (the next frame is requested after the listener returns); hand heavy work to
 * another thread. An exception thrown by a listener is logged and otherwise ignored.
 */
public interface RoomcastClientListener {
  /**
   * A connection is established and the server sent its welcome. Called once per connection, also
   * after every reconnect. Messages queued while offline are written right after this call.
   *
   * @param welcome the welcome; {@link Welcome#recovered()} tells whether a resume was complete
   */
  default void onOpen(Welcome welcome) {}

  /**
   * A room message, in offset order, each offset once per epoch (duplicates after a reconnect are
   * dropped before they get here). {@link ReceivedMessage#replayed()} tells a catch-up after a
   * resume from live traffic.
   */
  default void onMessage(ReceivedMessage message) {}

  /** A join or leave notice (live only, no offset). */
  default void onNotice(Notice notice) {}

  /**
   * An {@code error} frame from the server, e.g. {@code "rate limit exceeded: message dropped"}.
   * The connection stays open.
   */
  default void onServerError(String message) {}

  /**
   * An {@code error} frame, with the id given to {@link RoomcastClient#sendJson(String, String)} or
   * {@link RoomcastClient#sendText(String, String)} of the message it refuses, or {@code null} when
   * it refuses none that had an id. The default calls {@link #onServerError(String)}.
   */
  default void onServerError(String message, String id) {
    onServerError(message);
  }

  /**
   * A connection attempt failed or a connection broke (refused, handshake refused, I/O error, no
   * welcome in time). The client decides on its own whether to reconnect; {@link #onReconnecting}
   * or {@link #onClose} follows.
   */
  default void onError(Throwable error) {}

  /**
   * The connection is gone and the client will connect again after {@link Reconnecting#delay()}.
   */
  default void onReconnecting(Reconnecting reconnecting) {}

  /**
   * The client is closed for good: {@link RoomcastClient#close()} was called, the server closed
   * with a terminal code ({@link dev.roomcast.CloseCodes#isTerminal}), the handshake was refused
   * with a client error (HTTP 4xx other than 408 and 429), or the backoff policy gave up. Called
   * exactly once per client that was closed.
   *
   * @param code the close code (1000 after {@link RoomcastClient#close()}; 1008 for a refused
   *     handshake)
   * @param reason the reason
   */
  default void onClose(int code, String reason) {}
}
