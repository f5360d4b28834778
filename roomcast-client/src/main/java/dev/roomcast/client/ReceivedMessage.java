package dev.roomcast.client;

import dev.roomcast.StreamPosition;
import dev.roomcast.client.internal.Frames;
import java.util.Optional;

/**
 * A room message as the client delivers it (protocol frame {@code "type":"message"}). Immutable.
 *
 * @param room the room
 * @param clientId the sender's connection id, or {@code "server"} (or the caller's name) for
 *     messages published by the application
 * @param contentJson the message content as compact JSON text: any JSON value, exactly as the
 *     sender sent it, e.g. {@code {"text":"hi"}} or {@code "hi"}
 * @param timestamp the server's ISO-8601 UTC timestamp, or {@code null} when absent
 * @param epoch the room's history epoch, or {@code null} for a server that sends none (the seed's)
 * @param offset the message's offset within the epoch, or -1 when absent
 * @param replayed {@code true} when the server sent it to catch a resumed connection up: it was
 *     published before that connection's welcome (from history, or held while the server read
 *     history); {@code false} for live traffic
 * @param frameJson the whole frame as received (JSON text), for fields this record does not name
 */
public record ReceivedMessage(
    String room,
    String clientId,
    String contentJson,
    String timestamp,
    String epoch,
    long offset,
    boolean replayed,
    String frameJson) {

  /** The content's text when it is a JSON string ({@code "hi"} gives {@code hi}), else its JSON. */
  public String contentText() {
    return Frames.textOrJson(contentJson);
  }

  /** The message's position in the room's history, when the server sent one. */
  public Optional<StreamPosition> position() {
    return epoch == null || offset < 0
        ? Optional.empty()
        : Optional.of(new StreamPosition(epoch, offset));
  }
}
