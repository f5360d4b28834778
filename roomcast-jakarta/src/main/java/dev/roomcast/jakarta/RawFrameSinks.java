package dev.roomcast.jakarta;

import dev.roomcast.spi.Transport;
import jakarta.websocket.Session;

/**
 * Gives the endpoint a {@link RawFrameSink} for a session that has just opened, when the server
 * embedding the endpoint owns that session's connection writer (roomcast-grizzly hands over its
 * own). Set with {@link RoomcastEndpointConfig.Builder#rawFrameSinks}.
 *
 * <p>Called from {@code onOpen}, on the container's thread that opens the session; must be
 * thread-safe. A session it returns {@code null} for falls back to Tyrus' writer by reflection (on
 * Tyrus) or to {@code sendText}: {@link RoomcastDeployment} counts which path each session took.
 */
@FunctionalInterface
public interface RawFrameSinks {
  /**
   * @param done to be called once per {@link RawFrameSink#write}, with {@code null} or the failure
   * @return the sink, or {@code null} when this session is not one whose writer it owns, or when
   *     frames cannot be written raw (an extension such as permessage-deflate was negotiated)
   */
  RawFrameSink open(Session session, Transport.WriteCallback done);
}
