package dev.roomcast.client;

/**
 * A {@code system} frame other than the welcome: a join or leave notice. Live only: notices have no
 * offset and are never replayed. Immutable.
 *
 * @param room the room
 * @param clientId the connection the notice is about, or {@code null} when absent
 * @param message the human-readable text, e.g. {@code "user-k3j9x2a1-7 joined the room"}
 * @param timestamp the server's ISO-8601 UTC timestamp, or {@code null} when absent
 * @param frameJson the whole frame as received (JSON text)
 */
public record Notice(
    String room, String clientId, String message, String timestamp, String frameJson) {}
