package dev.roomcast;

import java.util.List;
import java.util.Objects;

/**
 * Who is in a room across every instance sharing it, at one moment. Immutable.
 *
 * <p>Members of an instance that died without saying goodbye stay listed until its lease ends (the
 * backplane's bound, 15 s on Redis); members whose connection dropped stay listed for the hub's
 * resume grace, so a reconnect does not flicker.
 *
 * @param room the room
 * @param count how many members
 * @param members the members, sorted by join time (then client id); empty when only the count was
 *     asked for
 */
public record Presence(String room, int count, List<PresenceMember> members) {
  public Presence {
    Objects.requireNonNull(room, "room");
    members = List.copyOf(members);
  }
}
