package dev.roomcast;

import java.util.Objects;

/**
 * What a transport asks of {@link Hub#join}: the room, an optional resume position, whether the
 * connection may publish, and who is asking. Immutable.
 *
 * @param room the room name, URL-decoded; empty means {@link RoomNames#DEFAULT_ROOM}
 * @param resumeFrom the last position the client saw, or {@code null} for a fresh join
 * @param canPublish {@code false} for receive-only transports such as SSE
 * @param identity who is joining, from {@link Hub#authenticate}; checked by the {@link
 *     RoomAuthorizer} on join and on every publish
 */
public record JoinRequest(
    String room, StreamPosition resumeFrom, boolean canPublish, Identity identity) {

  public JoinRequest {
    Objects.requireNonNull(room, "room");
    Objects.requireNonNull(identity, "identity");
  }

  /** An anonymous join. */
  public JoinRequest(String room, StreamPosition resumeFrom, boolean canPublish) {
    this(room, resumeFrom, canPublish, Identity.anonymous());
  }

  /** A fresh, anonymous join that may publish. */
  public static JoinRequest to(String room) {
    return new JoinRequest(room, null, true, Identity.anonymous());
  }

  /** The same join, resuming after {@code position} ({@code null} for a fresh join). */
  public JoinRequest resumingFrom(StreamPosition position) {
    return new JoinRequest(room, position, canPublish, identity);
  }

  /** The same join, receive-only. */
  public JoinRequest receiveOnly() {
    return new JoinRequest(room, resumeFrom, false, identity);
  }

  /** The same join, as {@code identity}. */
  public JoinRequest as(Identity identity) {
    return new JoinRequest(room, resumeFrom, canPublish, identity);
  }
}
