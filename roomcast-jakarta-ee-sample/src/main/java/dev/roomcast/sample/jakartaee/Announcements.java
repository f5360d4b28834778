package dev.roomcast.sample.jakartaee;

import dev.roomcast.Identity;
import dev.roomcast.RoomAuthorizer;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The sample's room rule, a CDI bean that roomcast-cdi picks up as the hub's {@link
 * RoomAuthorizer}: everyone may read the room {@code announcements}, only signed-in users may post
 * there (over WebSocket and through {@link RoomMessages}); every other room is open to all.
 */
@ApplicationScoped
public class Announcements implements RoomAuthorizer {
  static final String ROOM = "announcements";

  @Override
  public boolean allows(Identity who, String room, Action action) {
    return !(ROOM.equals(room) && action == Action.PUBLISH && who.equals(Identity.anonymous()));
  }
}
