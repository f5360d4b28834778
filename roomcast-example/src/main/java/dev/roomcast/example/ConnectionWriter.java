package dev.roomcast.example;

import java.net.SocketAddress;
import java.nio.ByteBuffer;
import org.glassfish.grizzly.Buffer;
import org.glassfish.grizzly.Connection;
import org.glassfish.grizzly.WriteResult;
import org.glassfish.grizzly.asyncqueue.AsyncQueueWriter;
import org.glassfish.grizzly.asyncqueue.MessageCloner;
import org.glassfish.grizzly.asyncqueue.WritableMessage;
import org.glassfish.grizzly.memory.Buffers;
import org.glassfish.grizzly.nio.NIOTransport;
import org.glassfish.tyrus.spi.CompletionHandler;
import org.glassfish.tyrus.spi.Writer;

/**
 * Tyrus' writer for an upgraded connection: frames go straight to the transport's asynchronous
 * write queue, which writes at once when the socket can take it and keeps order otherwise.
 *
 * <p>Why not Tyrus' {@code GrizzlyWriter}: it sends every frame through the connection's whole
 * filter chain (HTTP handler, handshake, idle timeout and HTTP codec filters, none of which has
 * anything to do with a frame) after a pass through a lock-and-queue task processor of its own. In
 * the 1,000-member fan-out that was a third of the server's CPU per delivery (docs/benchmarks.md).
 *
 * <p>No flow control of its own: a frame beyond Grizzly's per-connection pending-bytes limit fails
 * its completion handler. roomcast's endpoint never gets near it, since each member's outbox keeps
 * one frame in flight (and drops members that fall behind); Tyrus' own control frames are tiny.
 *
 * <p>Thread-safe: Grizzly's write queue takes writes from any thread.
 */
final class ConnectionWriter extends Writer {
  /** The frame's buffer is not reused after the write, so queued frames need no copy. */
  private static final MessageCloner<WritableMessage> NO_CLONER = null;

  private final Connection<SocketAddress> connection;
  private final AsyncQueueWriter<SocketAddress> queue;

  @SuppressWarnings("unchecked")
  ConnectionWriter(Connection<?> connection) {
    this.connection = (Connection<SocketAddress>) connection;
    this.queue = ((NIOTransport) connection.getTransport()).getAsyncQueueIO().getWriter();
    connection.configureBlocking(false);
  }

  @Override
  public void write(ByteBuffer frame, CompletionHandler<ByteBuffer> done) {
    if (!connection.isOpen()) {
      if (done != null) {
        done.failed(new IllegalStateException("Connection is not open."));
      }
      return;
    }
    Buffer message = Buffers.wrap(connection.getMemoryManager(), frame);
    queue.write(connection, null, message, done == null ? null : new Done(frame, done), NO_CLONER);
  }

  @Override
  public void close() {
    connection.closeSilently(); // graceful: after the queued frames (a close frame) are written
  }

  /** Tells Tyrus' handler how the write ended. */
  private static final class Done
      implements org.glassfish.grizzly.CompletionHandler<
          WriteResult<WritableMessage, SocketAddress>> {
    private final ByteBuffer frame;
    private final CompletionHandler<ByteBuffer> handler;

    Done(ByteBuffer frame, CompletionHandler<ByteBuffer> handler) {
      this.frame = frame;
      this.handler = handler;
    }

    @Override
    public void completed(WriteResult<WritableMessage, SocketAddress> result) {
      handler.completed(frame);
    }

    @Override
    public void failed(Throwable throwable) {
      handler.failed(throwable);
    }

    @Override
    public void cancelled() {
      handler.cancelled();
    }

    @Override
    public void updated(WriteResult<WritableMessage, SocketAddress> result) {}
  }
}
