package dev.roomcast.client.internal;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * The one seam between the client's state machine and a WebSocket implementation: everything
 * specific to the implementation (how a refused handshake's status is found, flow control, partial
 * messages, how a close is completed) stays behind it. {@link JdkWebSocketTransport} is the one
 * implementation; tests use it too, against real servers.
 */
public interface WebSocketTransport {
  /**
   * Starts a connection attempt; never blocks. Exactly one of these follows, on any thread: {@link
   * Events#onOpen} (then {@link Events#onText} calls, then one {@link Events#onClosed} or {@link
   * Events#onFailed}), or one {@link Events#onFailed} for an attempt that never opened. Each call
   * for one connection happens after the previous returned, so the next frame is not read until the
   * state machine handled the last one.
   *
   * @param uri the {@code ws://} or {@code wss://} URI
   * @param headers extra handshake headers, e.g. {@code Authorization}
   * @param timeout the longest the opening handshake may take
   * @param events who hears about it
   */
  void connect(URI uri, Map<String, String> headers, Duration timeout, Events events);

  /** The HTTP status of a refused handshake in the cause chain of a connect failure, or -1. */
  int refusedStatus(Throwable connectFailure);

  /** What a connection tells its owner. */
  interface Events {
    /** The handshake completed; frames may follow at once. */
    void onOpen(Socket socket);

    /** A whole text message (the transport assembles fragments). */
    void onText(String text);

    /** The peer's close frame; the transport completes the close handshake on its own. */
    void onClosed(int code, String reason);

    /** The attempt or the connection failed without a close frame (refused, reset, I/O error). */
    void onFailed(Throwable failure);
  }

  /** One open connection. Thread-safe; at most one {@link #send} may be outstanding. */
  interface Socket {
    /** Sends a text message; completes when written, exceptionally when it could not be. */
    CompletionStage<?> send(String text);

    /**
     * Starts the closing handshake and drops the connection if the peer has not completed it soon;
     * no more events follow. Codes: 1000 or 3000-4999.
     */
    void close(int code, String reason);

    /** Drops the connection at once, without a close frame; no more events follow. */
    void abort();
  }
}
