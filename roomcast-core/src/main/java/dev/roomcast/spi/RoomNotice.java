package dev.roomcast.spi;

import java.util.Objects;

/**
 * A join or leave notice. Notices are live-only: they have no offset and are not kept in history.
 *
 * @param room the room name
 * @param kind join or leave
 * @param clientId the client that joined or left
 * @param timestamp ISO-8601 UTC timestamp
 * @param originNode id of the node where the client is connected
 * @param user the member's authenticated subject, or {@code null} for anonymous members
 * @param name the member's display name, or {@code null}
 */
public record RoomNotice(
    String room,
    Kind kind,
    String clientId,
    String timestamp,
    String originNode,
    String user,
    String name) {

  /** A notice about an anonymous member. */
  public RoomNotice(String room, Kind kind, String clientId, String timestamp, String originNode) {
    this(room, kind, clientId, timestamp, originNode, null, null);
  }

  /** What happened. */
  public enum Kind {
    JOIN,
    LEAVE
  }

  public RoomNotice {
    Objects.requireNonNull(room, "room");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(clientId, "clientId");
    Objects.requireNonNull(timestamp, "timestamp");
    Objects.requireNonNull(originNode, "originNode");
  }
}
