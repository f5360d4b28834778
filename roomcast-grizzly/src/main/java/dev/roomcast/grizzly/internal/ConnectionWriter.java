package dev.roomcast.grizzly.internal;

import dev.roomcast.jakarta.RawFrameSink;
import dev.roomcast.jakarta.RawFrameSinks;
import dev.roomcast.spi.Transport;
import dev.roomcast.spi.WebSocketFrames;
import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.glassfish.grizzly.Buffer;
import org.glassfish.grizzly.Connection;
import org.glassfish.grizzly.IOEvent;
import org.glassfish.grizzly.WriteResult;
import org.glassfish.grizzly.asyncqueue.AsyncQueueWriter;
import org.glassfish.grizzly.asyncqueue.MessageCloner;
import org.glassfish.grizzly.asyncqueue.WritableMessage;
import org.glassfish.grizzly.memory.Buffers;
import org.glassfish.grizzly.nio.NIOConnection;
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
 * <p>Bounded: Grizzly's write queue takes whatever it is given (its pending-bytes setting only
 * answers {@code canWrite}), and not everything written here passes an outbox: Tyrus answers every
 * ping with a pong, and a peer that sends pings without reading would queue pongs until the heap is
 * gone. So a write that would take the queue past {@code maxQueuedBytes} cuts the peer off as a
 * slow consumer instead: its socket is no longer read, a 4000 close frame is queued, the endpoint
 * is told 4000, and the connection is closed within the close grace. roomcast's own data frames
 * never get near the bound on a peer that reads: its outbox keeps one frame in flight.
 *
 * <p>Thread-safe: Grizzly's write queue takes writes from any thread.
 */
public final class ConnectionWriter extends Writer {
  private static final Logger LOG = Logger.getLogger(ConnectionWriter.class.getName());

  /** The frame's buffer is not reused after the write, so queued frames need no copy. */
  private static final MessageCloner<WritableMessage> NO_CLONER = null;

  private static final byte[] SLOW_CONSUMER = WebSocketFrames.closeFrame(4000, "slow consumer");

  private final Connection<SocketAddress> connection;
  private final AsyncQueueWriter<SocketAddress> queue;
  private final long maxQueuedBytes;
  private final Edge edge;
  private final AtomicBoolean cutOff = new AtomicBoolean();

  /**
   * The writer of the connection whose WebSocket session Tyrus is opening on this thread: {@link
   * HandshakeFilter} sets it around Tyrus' {@code createConnection}, which runs the endpoint's
   * {@code onOpen} on the calling thread, so {@link #SINKS} can give that session this writer.
   */
  private static final ThreadLocal<ConnectionWriter> OPENING = new ThreadLocal<>();

  /**
   * The endpoint's way to this server's writers: the session being opened on this thread gets its
   * connection's writer as a {@link RawFrameSink}, so broadcast frames go from the outbox to
   * Grizzly's write queue with no reflection and no re-encoding. A session opened any other way (or
   * with an extension negotiated) gets {@code null} and the endpoint's fallback, which it counts
   * and reports.
   */
  public static final RawFrameSinks SINKS =
      (session, done) -> {
        ConnectionWriter writer = OPENING.get();
        return writer == null || !session.getNegotiatedExtensions().isEmpty()
            ? null
            : writer.new FrameSink(done);
      };

  @SuppressWarnings("unchecked")
  ConnectionWriter(Connection<?> connection, Edge edge) {
    this.connection = (Connection<SocketAddress>) connection;
    this.queue = ((NIOTransport) connection.getTransport()).getAsyncQueueIO().getWriter();
    this.maxQueuedBytes = edge.writeQueueBytes;
    this.edge = edge;
    connection.configureBlocking(false);
  }

  /** Runs {@code open} with this writer as the one {@link #SINKS} hands to the opening session. */
  <T> T opening(Supplier<T> open) {
    OPENING.set(this);
    try {
      return open.get();
    } finally {
      OPENING.remove();
    }
  }

  /** Whether another write of {@code bytes} would pass the bound; if so the peer is cut off. */
  private boolean overflows(long bytes) {
    int queued = ((NIOConnection) connection).getAsyncWriteQueue().spaceInBytes();
    if (queued + bytes > maxQueuedBytes) {
      cutOff(queued);
      return true;
    }
    return false;
  }

  @Override
  public void write(ByteBuffer frame, CompletionHandler<ByteBuffer> done) {
    if (!connection.isOpen() || cutOff.get()) {
      if (done != null) {
        done.failed(new IllegalStateException("Connection is not open."));
      }
      return;
    }
    if (overflows(frame.remaining())) {
      if (done != null) {
        done.failed(new IOException("peer is not reading: cut off as a slow consumer"));
      }
      return;
    }
    Buffer message = Buffers.wrap(connection.getMemoryManager(), frame);
    queue.write(connection, null, message, done == null ? null : new Done(frame, done), NO_CLONER);
  }

  private void cutOff(int queued) {
    if (!cutOff.compareAndSet(false, true)) {
      return;
    }
    edge.counters.writeQueueOverflows.increment();
    LOG.log(
        Level.FINE,
        () ->
            "cutting off "
                + connection.getPeerAddress()
                + ": "
                + queued
                + " bytes wait to be written and it does not read");
    try {
      connection.disableIOEvent(IOEvent.READ); // whatever it still sends costs nothing now
    } catch (IOException | RuntimeException e) {
      LOG.log(Level.FINE, "could not stop reading " + connection.getPeerAddress(), e);
    }
    UpgradedConnection upgraded = UpgradedConnection.of(connection);
    if (upgraded != null) {
      upgraded.cutOffAsSlowConsumer();
    }
    queue.write(
        connection,
        null,
        Buffers.wrap(connection.getMemoryManager(), SLOW_CONSUMER.clone()),
        null,
        NO_CLONER);
    LingeringClose.closeWithin(connection, edge);
  }

  @Override
  public void close() {
    // after the queued frames (a close frame), or after the close grace if the peer does not read
    LingeringClose.closeWithin(connection, edge);
  }

  /**
   * One session's broadcast frames, written to this connection's queue as they are (the bytes are
   * shared by every member; each write wraps them in a buffer of its own). One frame is in flight
   * at a time (the outbox's rule), so one instance is its own completion handler.
   */
  private final class FrameSink
      implements RawFrameSink,
          org.glassfish.grizzly.CompletionHandler<WriteResult<WritableMessage, SocketAddress>> {
    private final Transport.WriteCallback done;

    FrameSink(Transport.WriteCallback done) {
      this.done = done;
    }

    @Override
    public void write(byte[] frame) {
      if (!connection.isOpen() || cutOff.get()) {
        throw new IllegalStateException("connection closed");
      }
      if (overflows(frame.length)) {
        done.completed(new IOException("peer is not reading: cut off as a slow consumer"));
        return;
      }
      Buffer message = Buffers.wrap(connection.getMemoryManager(), frame);
      queue.write(connection, null, message, this, NO_CLONER);
    }

    @Override
    public void completed(WriteResult<WritableMessage, SocketAddress> result) {
      done.completed(null);
    }

    @Override
    public void failed(Throwable throwable) {
      done.completed(throwable != null ? throwable : new IOException("WebSocket write failed"));
    }

    @Override
    public void cancelled() {
      done.completed(new CancellationException("WebSocket write cancelled"));
    }

    @Override
    public void updated(WriteResult<WritableMessage, SocketAddress> result) {}
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
