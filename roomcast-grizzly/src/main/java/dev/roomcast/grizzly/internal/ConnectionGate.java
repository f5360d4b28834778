package dev.roomcast.grizzly.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.glassfish.grizzly.Buffer;
import org.glassfish.grizzly.Connection;
import org.glassfish.grizzly.filterchain.BaseFilter;
import org.glassfish.grizzly.filterchain.FilterChainContext;
import org.glassfish.grizzly.filterchain.NextAction;

/**
 * The first filter after the transport: admits connections, drops what closing ones still send, and
 * gives back their counts when they go.
 *
 * <ul>
 *   <li>Accept: a connection counts as pending until its first request has been read ({@link
 *       RequestCheck}); past {@code ROOMCAST_MAX_PENDING_CONNECTIONS} in all or {@code
 *       ROOMCAST_MAX_PENDING_PER_ADDRESS} from one socket address, new connections are closed at
 *       once. So a client that opens connections and sends nothing (or a byte now and then) holds a
 *       bounded number of them, each for at most the keep-alive idle timeout.
 *   <li>Read: a connection that is lingering ({@link LingeringClose}) has its bytes dropped here,
 *       before any parser buffers them.
 *   <li>Close: its pending and per-client counts are released, whatever state it was in.
 * </ul>
 *
 * <p>Stateless and shared by all connections; per-connection state is in {@link EdgeConnection}.
 */
final class ConnectionGate extends BaseFilter {
  private static final Logger LOG = Logger.getLogger(ConnectionGate.class.getName());

  private final Edge edge;

  ConnectionGate(Edge edge) {
    this.edge = edge;
  }

  @Override
  public NextAction handleAccept(FilterChainContext ctx) throws IOException {
    Connection<?> connection = ctx.getConnection();
    String address = host(connection.getPeerAddress());
    AddressCounts.Result admitted = edge.pending.acquire(address);
    if (admitted != AddressCounts.Result.OK) {
      edge.counters.connectionsRefused.increment();
      LOG.log(
          Level.FINE,
          () ->
              "refused a connection from "
                  + address
                  + ": "
                  + (admitted == AddressCounts.Result.ALL_FULL
                      ? "too many pending connections"
                      : "too many pending connections from this address"));
      connection.terminateSilently();
      return ctx.getStopAction();
    }
    EdgeConnection.attach(connection, address, edge);
    return ctx.getInvokeAction();
  }

  @Override
  public NextAction handleRead(FilterChainContext ctx) throws IOException {
    EdgeConnection state = EdgeConnection.of(ctx.getConnection());
    if (state != null && state.lingering) {
      Object message = ctx.getMessage();
      if (message instanceof Buffer buffer) {
        buffer.tryDispose();
      }
      return ctx.getStopAction();
    }
    return ctx.getInvokeAction();
  }

  @Override
  public NextAction handleClose(FilterChainContext ctx) throws IOException {
    release(ctx.getConnection());
    return ctx.getInvokeAction();
  }

  private void release(Connection<?> connection) {
    EdgeConnection state = EdgeConnection.of(connection);
    if (state == null) {
      return;
    }
    String[] counted = state.close();
    if (counted == null) {
      return;
    }
    if (counted[0] != null) {
      edge.pending.release(counted[0]);
    }
    if (counted[1] != null) {
      edge.clients.release(counted[1]);
    }
  }

  /** The IP address of a peer, without port or host name. */
  static String host(Object address) {
    if (address instanceof InetSocketAddress inet) {
      return inet.getAddress() != null ? inet.getAddress().getHostAddress() : inet.getHostString();
    }
    return String.valueOf(address);
  }
}
