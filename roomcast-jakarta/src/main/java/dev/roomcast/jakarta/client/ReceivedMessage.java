package dev.roomcast.jakarta.client;

import com.fasterxml.jackson.databind.JsonNode;
import dev.roomcast.StreamPosition;
import java.util.Optional;

/**
 * A room message as a client receives it (protocol frame {@code "type":"message"}). Immutable.
 *
 * @param room the room
 * @param clientId the sender's connection id, or {@code "server"} for messages published by the
 *     application
 * @param content the message content: any JSON value, exactly as the sender sent it
 * @param timestamp the server's ISO-8601 UTC timestamp, or {@code null} when absent
 * @param epoch the room's history epoch, or {@code null} for a server that sends none (the seed's)
 * @param offset the message's offset within the epoch, or -1 when absent
 * @param frame the whole frame as received, for fields this record does not name
 */
public record ReceivedMessage(
    String room,
    String clientId,
    JsonNode content,
    String timestamp,
    String epoch,
    long offset,
    JsonNode frame) {

  /** The content as compact JSON text, e.g. {@code {"text":"hi"}} or {@code "hi"}. */
  public String contentJson() {
    return content.toString();
  }

  /** The content's text when it is a JSON string, else its JSON text. */
  public String contentText() {
    return content.isTextual() ? content.textValue() : content.toString();
  }

  /** The message's position in the room's history, when the server sent one. */
  public Optional<StreamPosition> position() {
    return epoch == null || offset < 0
        ? Optional.empty()
        : Optional.of(new StreamPosition(epoch, offset));
  }
}
