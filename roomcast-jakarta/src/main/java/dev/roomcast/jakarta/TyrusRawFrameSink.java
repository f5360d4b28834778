package dev.roomcast.jakarta;

import dev.roomcast.spi.Transport;
import jakarta.websocket.Session;
import java.lang.reflect.Field;
import java.nio.ByteBuffer;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.glassfish.tyrus.core.ProtocolHandler;
import org.glassfish.tyrus.core.TyrusRemoteEndpoint;
import org.glassfish.tyrus.core.TyrusWebSocket;
import org.glassfish.tyrus.spi.CompletionHandler;
import org.glassfish.tyrus.spi.Writer;
import org.glassfish.tyrus.spi.WriterInfo;

/**
 * Tyrus only: writes a broadcast's pre-built frame ({@link
 * dev.roomcast.spi.OutboundFrame#webSocketTextFrame()}) straight to the connection's Tyrus {@link
 * Writer}, the same call Tyrus' own {@code Session.broadcast} and {@code sendRawFrame} end in.
 *
 * <p>Why: Tyrus' {@code getAsyncRemote().sendText(String, SendHandler)} re-encodes the string to
 * UTF-8 and re-frames it for every recipient (a new charset encoder and two buffers per send), and
 * reschedules the session's idle-timeout task on a shared executor on every send (a lock, a queue
 * insertion and a thread wake-up per frame, even with the idle timeout off). Profiling the 1,000
 * member fan-out showed those as the largest costs per delivery (docs/benchmarks.md).
 *
 * <p>Used only when every precondition holds: the session is a Tyrus one, no extension (such as
 * permessage-deflate) was negotiated, and Tyrus' internals are reachable by reflection (class path,
 * Tyrus 2.x). Otherwise {@link #create} returns {@code null} and the transport uses the standard
 * async remote. Frames are whole and written through Tyrus' writer, whose write queue keeps them
 * apart from Tyrus' own pings and close frames.
 */
final class TyrusRawFrameSink extends CompletionHandler<ByteBuffer> implements RawFrameSink {
  private static final Logger LOG = Logger.getLogger(TyrusRawFrameSink.class.getName());
  private static final WriterInfo INFO =
      new WriterInfo(WriterInfo.MessageType.TEXT, WriterInfo.RemoteEndpointType.ASYNC);
  private static final Field REMOTE_WEBSOCKET;
  private static final Field WEBSOCKET_HANDLER;
  private static final Field HANDLER_WRITER;

  static {
    Field a = null;
    Field b = null;
    Field c = null;
    try {
      a = TyrusRemoteEndpoint.class.getDeclaredField("webSocket");
      b = TyrusWebSocket.class.getDeclaredField("protocolHandler");
      c = ProtocolHandler.class.getDeclaredField("writer");
      a.setAccessible(true);
      b.setAccessible(true);
      c.setAccessible(true);
    } catch (ReflectiveOperationException | RuntimeException e) {
      LOG.log(Level.FINE, "Tyrus raw frame writes unavailable, using sendText", e);
      a = b = c = null;
    }
    REMOTE_WEBSOCKET = a;
    WEBSOCKET_HANDLER = b;
    HANDLER_WRITER = c;
  }

  private final Session session;
  private final Writer writer;
  private final Transport.WriteCallback done;

  private TyrusRawFrameSink(Session session, Writer writer, Transport.WriteCallback done) {
    this.session = session;
    this.writer = writer;
    this.done = done;
  }

  /** A sink for this session, or {@code null} when raw writes cannot be used safely. */
  static RawFrameSink create(Session session, Transport.WriteCallback done) {
    if (REMOTE_WEBSOCKET == null || !session.getNegotiatedExtensions().isEmpty()) {
      return null;
    }
    try {
      Object remote = session.getAsyncRemote();
      if (!(remote instanceof TyrusRemoteEndpoint)) {
        return null;
      }
      Object ws = REMOTE_WEBSOCKET.get(remote);
      Object handler = ws == null ? null : WEBSOCKET_HANDLER.get(ws);
      Object writer = handler == null ? null : HANDLER_WRITER.get(handler);
      return writer instanceof Writer w ? new TyrusRawFrameSink(session, w, done) : null;
    } catch (ReflectiveOperationException | RuntimeException e) {
      LOG.log(Level.FINE, "Tyrus raw frame writes unavailable for this session", e);
      return null;
    }
  }

  @Override
  public void write(byte[] frame) {
    if (!session.isOpen()) {
      throw new IllegalStateException("session closed");
    }
    // A buffer per write (the writer consumes its position); the bytes are the shared frame.
    writer.write(ByteBuffer.wrap(frame), this, INFO);
  }

  @Override
  public void completed(ByteBuffer result) {
    done.completed(null);
  }

  @Override
  public void failed(Throwable throwable) {
    done.completed(
        throwable != null ? throwable : new java.io.IOException("WebSocket write failed"));
  }

  @Override
  public void cancelled() {
    done.completed(new java.util.concurrent.CancellationException("WebSocket write cancelled"));
  }
}
