package dev.roomcast.grizzly.internal;

import jakarta.websocket.CloseReason;
import java.nio.ByteBuffer;
import org.glassfish.grizzly.Buffer;
import org.glassfish.grizzly.Connection;
import org.glassfish.grizzly.Grizzly;
import org.glassfish.grizzly.attributes.Attribute;
import org.glassfish.grizzly.memory.ByteBufferArray;
import org.glassfish.tyrus.container.grizzly.client.TaskProcessor;
import org.glassfish.tyrus.core.CloseReasons;
import org.glassfish.tyrus.spi.ReadHandler;

/**
 * What a Grizzly connection keeps once it has been upgraded to WebSocket: Tyrus' connection, the
 * serial executor of its reads and close, and the frame-size guard's position in the byte stream.
 * Nothing of the HTTP request it started as: {@link HandshakeFilter} drops that, and {@link
 * UpgradedConnectionFilter} passes the connection's bytes straight to Tyrus from then on.
 *
 * <p>Thread-safety: Grizzly delivers one connection's reads one at a time, so {@link #guard} needs
 * no lock; reads and the close are handed to Tyrus through one {@link TaskProcessor}, which runs
 * them one at a time in order, as Tyrus' own Grizzly filter does.
 */
final class UpgradedConnection {
  private static final Attribute<UpgradedConnection> ATTRIBUTE =
      Grizzly.DEFAULT_ATTRIBUTE_BUILDER.createAttribute(UpgradedConnection.class.getName());

  private final org.glassfish.tyrus.spi.Connection tyrus;
  private final TaskProcessor tasks = new TaskProcessor();

  /** The frame guard's state for this connection; {@code null} without a guard. */
  final FrameGuard.Position guard;

  /** What Tyrus is told when the TCP connection goes without a close handshake. */
  private volatile CloseReason lostBecause = CloseReasons.CLOSED_ABNORMALLY.getCloseReason();

  private UpgradedConnection(org.glassfish.tyrus.spi.Connection tyrus, boolean guarded) {
    this.tyrus = tyrus;
    this.guard = guarded ? new FrameGuard.Position() : null;
  }

  /** Marks {@code connection} as upgraded: from now on its bytes go to {@code tyrus}. */
  static UpgradedConnection attach(
      Connection<?> connection, org.glassfish.tyrus.spi.Connection tyrus, boolean guarded) {
    UpgradedConnection upgraded = new UpgradedConnection(tyrus, guarded);
    ATTRIBUTE.set(connection, upgraded);
    return upgraded;
  }

  /** The upgraded state of {@code connection}, or {@code null} while it speaks HTTP. */
  static UpgradedConnection of(Connection<?> connection) {
    return ATTRIBUTE.get(connection);
  }

  /** Hands received frame bytes to Tyrus, which parses them and calls the endpoint. */
  void read(Buffer buffer) {
    ReadHandler reader = tyrus.getReadHandler();
    if (!buffer.isComposite()) {
      tasks.processTask(new Read(reader, buffer.toByteBuffer()));
      return;
    }
    ByteBufferArray parts = buffer.toByteBufferArray();
    ByteBuffer[] array = parts.getArray();
    for (int i = 0; i < parts.size(); i++) {
      tasks.processTask(new Read(reader, array[i]));
    }
    parts.recycle();
  }

  /**
   * Marks the connection as cut off by the server because its peer does not read: when it goes, the
   * endpoint sees 4000 (slow consumer) rather than 1006.
   */
  void cutOffAsSlowConsumer() {
    lostBecause = new CloseReason(CloseReason.CloseCodes.getCloseCode(4000), "slow consumer");
  }

  /** The TCP connection is gone without a close handshake: the endpoint sees 1006 (or 4000). */
  void closedAbnormally(Connection<?> connection) {
    tasks.processTask(
        new TaskProcessor.Task() {
          @Override
          public void execute() {
            tyrus.close(lostBecause);
            ATTRIBUTE.remove(connection);
          }
        });
  }

  private static final class Read extends TaskProcessor.Task {
    private final ReadHandler reader;
    private final ByteBuffer bytes;

    Read(ReadHandler reader, ByteBuffer bytes) {
      this.reader = reader;
      this.bytes = bytes;
    }

    @Override
    public void execute() {
      reader.handle(bytes);
    }
  }
}
