package dev.roomcast;

import java.util.Objects;

/**
 * A member joined or left a room on this hub, as a {@link MessageHandler} is told. Immutable.
 *
 * @param identity who the member is
 * @param clientId the connection's client id
 * @param room the room
 * @param resumed for a join, whether the connection resumed (it may have been announced before);
 *     for a leave, {@code false}
 */
public record MemberEvent(Identity identity, String clientId, String room, boolean resumed) {
  public MemberEvent {
    Objects.requireNonNull(identity, "identity");
    Objects.requireNonNull(clientId, "clientId");
    Objects.requireNonNull(room, "room");
  }
}
