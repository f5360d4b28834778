package dev.roomcast;

import java.util.Objects;

/**
 * One message a client sent, as a {@link MessageHandler} sees it before it is published. Immutable.
 *
 * @param identity who sent it (from the {@link Authenticator}); {@link Identity#anonymous()} on an
 *     open server
 * @param clientId the sending connection's client id
 * @param room the room it is sent to
 * @param contentJson its {@code content}, validated, as compact JSON text
 */
public record ClientMessage(Identity identity, String clientId, String room, String contentJson) {
  public ClientMessage {
    Objects.requireNonNull(identity, "identity");
    Objects.requireNonNull(clientId, "clientId");
    Objects.requireNonNull(room, "room");
    Objects.requireNonNull(contentJson, "contentJson");
  }
}
