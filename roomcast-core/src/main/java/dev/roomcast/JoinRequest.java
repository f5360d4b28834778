package dev.roomcast;

import java.util.Objects;

/**
 * What a transport asks of {@link Hub#join}: the room, an optional resume position and whether the
 * connection may publish. Immutable.
 *
 * @param room the room name, URL-decoded; empty means {@link RoomNames#DEFAULT_ROOM}
 * @param resumeFrom the last position the client saw, or {@code null} for a fresh join
 * @param canPublish {@code false} for receive-only transports such as SSE
 */
public record JoinRequest(String room, StreamPosition resumeFrom, boolean canPublish) {

  public JoinRequest {
    Objects.requireNonNull(room, "room");
  }

  /** A fresh join that may publish. */
  public static JoinRequest to(String room) {
    return new JoinRequest(room, null, true);
  }

  /** The same join, resuming after {@code position} ({@code null} for a fresh join). */
  public JoinRequest resumingFrom(StreamPosition position) {
    return new JoinRequest(room, position, canPublish);
  }

  /** The same join, receive-only. */
  public JoinRequest receiveOnly() {
    return new JoinRequest(room, resumeFrom, false);
  }
}
