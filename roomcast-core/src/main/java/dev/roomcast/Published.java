package dev.roomcast;

/**
 * Where a published message landed.
 *
 * @param room the room
 * @param epoch the room's epoch
 * @param offset the offset assigned to the message
 */
public record Published(String room, String epoch, long offset) {}
