package dev.roomcast;

/**
 * Decides what an {@link Identity} may do in a room. Consulted by the hub on every join and every
 * publish, whatever the transport. Must be thread-safe and fast. The default, {@link #allowAll()},
 * allows everything.
 */
@FunctionalInterface
public interface RoomAuthorizer {

  /** What is being attempted. */
  enum Action {
    /** Joining a room (WebSocket or SSE). */
    JOIN,
    /** Publishing into a room (WebSocket message or HTTP publish). */
    PUBLISH
  }

  /** Whether {@code who} may perform {@code action} in {@code room}. */
  boolean allows(Identity who, String room, Action action);

  /** Everything is allowed. */
  static RoomAuthorizer allowAll() {
    return (who, room, action) -> true;
  }
}
