package dev.roomcast.spi;

import java.util.Objects;

/**
 * A room message with its history position, as stored in history and moved between nodes.
 *
 * @param room the room name
 * @param epoch the room's history epoch when the message was appended
 * @param offset the room offset, 1 for the first message of an epoch, +1 for each next one
 * @param clientId the sender's client id ({@code "server"} for application publishes)
 * @param contentJson the message content as compact JSON text (already validated)
 * @param timestamp ISO-8601 UTC timestamp assigned when the message was accepted
 * @param originNode id of the node that published it
 * @param user the sender's authenticated subject, or {@code null} for anonymous senders
 * @param name the sender's display name, or {@code null}
 */
public record RoomMessage(
    String room,
    String epoch,
    long offset,
    String clientId,
    String contentJson,
    String timestamp,
    String originNode,
    String user,
    String name) {

  /** A message from an anonymous sender. */
  public RoomMessage(
      String room,
      String epoch,
      long offset,
      String clientId,
      String contentJson,
      String timestamp,
      String originNode) {
    this(room, epoch, offset, clientId, contentJson, timestamp, originNode, null, null);
  }

  public RoomMessage {
    Objects.requireNonNull(room, "room");
    Objects.requireNonNull(epoch, "epoch");
    Objects.requireNonNull(clientId, "clientId");
    Objects.requireNonNull(contentJson, "contentJson");
    Objects.requireNonNull(timestamp, "timestamp");
    Objects.requireNonNull(originNode, "originNode");
    if (offset < 1) {
      throw new IllegalArgumentException("offset must be >= 1, was " + offset);
    }
  }
}
