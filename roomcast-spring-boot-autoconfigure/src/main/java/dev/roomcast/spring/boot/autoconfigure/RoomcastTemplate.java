package dev.roomcast.spring.boot.autoconfigure;

import dev.roomcast.Hub;
import dev.roomcast.Published;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Publishes into rooms from application code with the application's own JSON setup: {@link
 * #publish(String, Object)} serializes the object with the {@link JsonSerializer} it was made with
 * and hands the JSON to {@link Hub#publish(String, String)}. The auto-configured instance uses the
 * application's Jackson 3 {@code JsonMapper} bean (Spring Boot 4's default), or else its Jackson 2
 * {@code ObjectMapper} bean, or else a plain Jackson 2 mapper; so a record published here looks
 * exactly as the same record returned from a {@code @RestController}.
 *
 * <pre>{@code
 * record ChatMessage(String user, String text) {}
 *
 * template.publish("lobby", new ChatMessage("alice", "hi"))
 *     .thenAccept(p -> log.info("stored at {}:{}", p.epoch(), p.offset()));
 * }</pre>
 *
 * <p>Thread-safe (the hub is, and Jackson mappers are once configured). Every member of the room,
 * on every instance, receives the message with {@code client_id} {@code "server"} (or the sender id
 * given).
 */
public final class RoomcastTemplate {

  /** Writes a value as JSON text. Must be thread-safe. */
  @FunctionalInterface
  public interface JsonSerializer {
    /**
     * @return the JSON text of {@code value}
     * @throws Exception when the value cannot be serialized
     */
    String toJson(Object value) throws Exception;
  }

  private final Hub hub;
  private final JsonSerializer json;

  /**
   * @param hub the hub to publish into
   * @param json how objects become JSON text
   */
  public RoomcastTemplate(Hub hub, JsonSerializer json) {
    this.hub = Objects.requireNonNull(hub, "hub");
    this.json = Objects.requireNonNull(json, "json");
  }

  /** The hub this template publishes into. */
  public Hub hub() {
    return hub;
  }

  /**
   * Serializes {@code content} and publishes it into {@code room} as client id {@code "server"}.
   *
   * @return where the message landed (epoch, offset) once the backplane stored it; fails with
   *     {@link IllegalArgumentException} when {@code content} cannot be serialized or the room name
   *     or content is invalid, and with {@link dev.roomcast.BackplaneUnavailableException} while
   *     the backplane is down
   */
  public CompletionStage<Published> publish(String room, Object content) {
    return publish(room, content, "server");
  }

  /**
   * As {@link #publish(String, Object)}, with {@code senderId} as the frames' {@code client_id}.
   */
  public CompletionStage<Published> publish(String room, Object content, String senderId) {
    Objects.requireNonNull(room, "room");
    Objects.requireNonNull(senderId, "senderId");
    String text;
    try {
      text = json.toJson(content);
    } catch (Exception e) {
      return CompletableFuture.failedFuture(
          new IllegalArgumentException(
              "cannot serialize "
                  + (content == null ? "null" : content.getClass().getName())
                  + " to JSON: "
                  + e.getMessage(),
              e));
    }
    return publishJson(room, text, senderId);
  }

  /**
   * Publishes {@code contentJson}, already JSON text, as {@link Hub#publish(String, String,
   * String)}, with the same failures as {@link #publish(String, Object)}.
   */
  public CompletionStage<Published> publishJson(String room, String contentJson, String senderId) {
    try {
      return hub.publish(room, contentJson, senderId);
    } catch (RuntimeException e) { // an invalid room name is refused before anything is sent
      return CompletableFuture.failedFuture(e);
    }
  }
}
