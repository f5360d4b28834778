package dev.roomcast.spi;

import java.util.Objects;

/**
 * A message on its way into a room, before the backplane assigned its offset and epoch.
 *
 * @param room the room name
 * @param clientId the sender's client id
 * @param contentJson the content as compact, validated JSON text
 * @param timestamp ISO-8601 UTC timestamp
 * @param originNode id of the publishing node
 * @param user the sender's authenticated subject, or {@code null} for anonymous senders
 * @param name the sender's display name, or {@code null}
 */
public record MessageDraft(
    String room,
    String clientId,
    String contentJson,
    String timestamp,
    String originNode,
    String user,
    String name) {

  /** A draft from an anonymous sender. */
  public MessageDraft(
      String room, String clientId, String contentJson, String timestamp, String originNode) {
    this(room, clientId, contentJson, timestamp, originNode, null, null);
  }

  public MessageDraft {
    Objects.requireNonNull(room, "room");
    Objects.requireNonNull(clientId, "clientId");
    Objects.requireNonNull(contentJson, "contentJson");
    Objects.requireNonNull(timestamp, "timestamp");
    Objects.requireNonNull(originNode, "originNode");
  }

  /** The stored message once the backplane assigned a position. */
  public RoomMessage at(String epoch, long offset) {
    return new RoomMessage(
        room, epoch, offset, clientId, contentJson, timestamp, originNode, user, name);
  }
}
