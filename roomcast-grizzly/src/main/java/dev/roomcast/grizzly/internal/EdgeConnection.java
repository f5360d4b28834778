package dev.roomcast.grizzly.internal;

import org.glassfish.grizzly.Connection;
import org.glassfish.grizzly.Grizzly;
import org.glassfish.grizzly.attributes.Attribute;

/**
 * What the edge knows about one TCP connection: the address it came from, the client address its
 * first request named (after {@code X-Forwarded-For}, when trusted), whether it is still waiting
 * for that first request, and whether it is being closed (input discarded).
 *
 * <p>Thread-safety: the counting flags change once each, under this object's monitor, because the
 * close event and the first request can race on different threads; {@link #lingering} is volatile
 * and only ever set.
 */
final class EdgeConnection {
  private static final Attribute<EdgeConnection> ATTRIBUTE =
      Grizzly.DEFAULT_ATTRIBUTE_BUILDER.createAttribute(EdgeConnection.class.getName());

  /** The peer's IP address as the socket reports it. */
  final String socketAddress;

  /** The edge the connection came through. */
  final Edge edge;

  private boolean pending = true; // counted in the pending-connection totals
  private String clientAddress; // counted per client address once set
  private boolean closed;

  /** Set when the connection is being closed: what it still sends is read and dropped. */
  volatile boolean lingering;

  /** Set when the response now being written must end the connection (a refusal mid-body). */
  volatile boolean closeAfterResponse;

  private EdgeConnection(String socketAddress, Edge edge) {
    this.socketAddress = socketAddress;
    this.edge = edge;
  }

  static EdgeConnection attach(Connection<?> connection, String socketAddress, Edge edge) {
    EdgeConnection state = new EdgeConnection(socketAddress, edge);
    ATTRIBUTE.set(connection, state);
    return state;
  }

  /** The connection's state, or {@code null} for one the edge never saw accepted. */
  static EdgeConnection of(Connection<?> connection) {
    return ATTRIBUTE.get(connection);
  }

  /**
   * Marks the first request as arrived.
   *
   * @return whether it was still pending (the caller releases its pending count)
   */
  synchronized boolean leavePending() {
    if (!pending || closed) {
      return false;
    }
    pending = false;
    return true;
  }

  /**
   * Records the client address of the first request.
   *
   * @return whether the caller should count it (false if already set or closed)
   */
  synchronized boolean identify(String address) {
    if (clientAddress != null || closed) {
      return false;
    }
    clientAddress = address;
    return true;
  }

  synchronized String clientAddress() {
    return clientAddress;
  }

  /**
   * Marks the connection closed.
   *
   * @return what the caller must release: {@code [pending ? socketAddress : null, clientAddress]},
   *     or {@code null} if already closed
   */
  synchronized String[] close() {
    if (closed) {
      return null;
    }
    closed = true;
    return new String[] {pending ? socketAddress : null, clientAddress};
  }
}
