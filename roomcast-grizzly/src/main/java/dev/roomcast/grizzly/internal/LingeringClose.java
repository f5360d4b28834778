package dev.roomcast.grizzly.internal;

import java.io.IOException;
import java.net.Socket;
import java.nio.channels.SocketChannel;
import org.glassfish.grizzly.CompletionHandler;
import org.glassfish.grizzly.Connection;
import org.glassfish.grizzly.EmptyCompletionHandler;
import org.glassfish.grizzly.WriteResult;
import org.glassfish.grizzly.nio.NIOConnection;

/**
 * Ends a connection whose peer may still be sending (a refused request with its body unread): send
 * FIN after the response, drop whatever still arrives, and close for good {@link
 * Edge#LINGER_MILLIS} later or when the peer closes.
 *
 * <p>Why not just close: a socket closed with unread bytes in its receive buffer answers with a
 * reset, and a client whose stack gets the reset before it has read the response loses the response
 * too (the 413 for a 10 MB body never arrives). Why not read the body to its end: it can be as long
 * as the client likes. Lingering is bounded in time, and the bytes are dropped as they come ({@link
 * ConnectionGate}), so it costs no memory. Stateless and thread-safe.
 */
final class LingeringClose {
  private LingeringClose() {}

  /** Call once the last response bytes have been written. */
  static void start(Connection<?> connection, Edge edge) {
    EdgeConnection state = EdgeConnection.of(connection);
    if (state != null) {
      state.lingering = true;
    }
    if (!connection.isOpen()) {
      return;
    }
    try {
      if (((NIOConnection) connection).getChannel() instanceof SocketChannel channel) {
        Socket socket = channel.socket();
        if (!socket.isOutputShutdown()) {
          channel.shutdownOutput();
        }
      }
    } catch (IOException | RuntimeException e) {
      connection.terminateSilently(); // the peer is gone already
      return;
    }
    edge.terminateLater(connection, Edge.LINGER_MILLIS);
  }

  /** A write's completion that starts the lingering close once the write is out. */
  @SuppressWarnings("rawtypes")
  static CompletionHandler<WriteResult> afterWrite(Connection<?> connection, Edge edge) {
    return new EmptyCompletionHandler<>() {
      @Override
      public void completed(WriteResult result) {
        start(connection, edge);
      }

      @Override
      public void failed(Throwable throwable) {
        connection.terminateSilently();
      }
    };
  }

  /**
   * Closes {@code connection} once what is queued for it has been written, or after {@link
   * Edge#CLOSE_GRACE_MILLIS} if its peer does not read, whichever comes first: a closed WebSocket
   * whose peer never reads again must not keep its connection and queue forever.
   */
  static void closeWithin(Connection<?> connection, Edge edge) {
    connection.closeSilently(); // graceful: after the write queue drains
    edge.terminateLater(connection, Edge.CLOSE_GRACE_MILLIS);
  }
}
