package dev.roomcast.containers;

import java.net.URI;

/**
 * A running server with roomcast's WebSocket endpoint, in this JVM (an embedded container) or in
 * its own process (a full Jakarta EE server): what {@link SeedProtocolContract} needs of it.
 */
interface RoomcastServer {
  /**
   * The WebSocket address of a room relative to the endpoint's base path: {@code "/"} is the bare
   * endpoint (room {@code default}), {@code "/lobby?since=3&epoch=e"} a room with a query.
   */
  URI ws(String roomPathAndQuery);
}
