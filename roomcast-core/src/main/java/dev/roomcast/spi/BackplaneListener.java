package dev.roomcast.spi;

/**
 * Receives a node's live traffic from other nodes and the backplane's health. Implemented by the
 * hub.
 *
 * <p>Calls come from backplane threads. Implementations must return quickly and never throw.
 */
public interface BackplaneListener {

  /** A message another node published into a room this node subscribed to. */
  void onMessage(RoomMessage message);

  /** A join or leave notice from another node. */
  void onNotice(RoomNotice notice);

  /** The backplane connection was lost; publishes fail until {@link #onRestored()}. */
  void onLost(Throwable cause);

  /**
   * The connection is back and every live room is subscribed again. The hub reads history to
   * deliver what was published while it was away.
   */
  void onRestored();
}
