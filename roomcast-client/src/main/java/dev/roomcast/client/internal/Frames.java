package dev.roomcast.client.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.roomcast.StreamPosition;
import java.util.Optional;

/**
 * The client's JSON: decoding server frames and encoding the one frame a client sends. The only
 * class that touches Jackson, so no Jackson type reaches the public API. Stateless, thread-safe.
 */
public final class Frames {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The longest message id the server accepts (docs/protocol.md). */
  public static final int MAX_ID_CHARS = 64;

  private Frames() {}

  /** A server frame, or {@code null} when the text is not a JSON object. */
  static JsonNode parseObject(String text) {
    try {
      JsonNode n = JSON.readTree(text);
      return n != null && n.isObject() ? n : null;
    } catch (JsonProcessingException e) {
      return null;
    }
  }

  /**
   * {@code {"content": <contentJson>}}, compacted.
   *
   * @throws IllegalArgumentException when {@code contentJson} is not exactly one JSON value
   */
  public static String contentFrame(String contentJson) {
    return contentFrame(contentJson, null);
  }

  /**
   * {@code {"content": <contentJson>, "id": "<id>"}}, compacted; without {@code id} when it is
   * {@code null}.
   *
   * @throws IllegalArgumentException when {@code contentJson} is not exactly one JSON value or
   *     {@code id} is longer than {@link #MAX_ID_CHARS}
   */
  public static String contentFrame(String contentJson, String id) {
    checkId(id);
    JsonNode content;
    try {
      content = JSON.readTree(contentJson);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not valid JSON: " + e.getOriginalMessage(), e);
    }
    if (content == null || content.isMissingNode()) {
      throw new IllegalArgumentException("not valid JSON: empty");
    }
    return frame(content, id);
  }

  /** {@code {"content": "<text>"}}, the chat page's message shape. */
  public static String textFrame(String text) {
    return textFrame(text, null);
  }

  /** {@code {"content": "<text>", "id": "<id>"}}; without {@code id} when it is {@code null}. */
  public static String textFrame(String text, String id) {
    checkId(id);
    return frame(JsonNodeFactory.instance.textNode(text), id);
  }

  private static String frame(JsonNode content, String id) {
    ObjectNode frame = JsonNodeFactory.instance.objectNode();
    frame.set("content", content);
    if (id != null) {
      frame.put("id", id);
    }
    return frame.toString();
  }

  private static void checkId(String id) {
    if (id != null && id.length() > MAX_ID_CHARS) {
      throw new IllegalArgumentException(
          "id longer than " + MAX_ID_CHARS + " characters: " + id.length());
    }
  }

  /** The string a JSON string holds, or the JSON text itself for any other value. */
  public static String textOrJson(String json) {
    if (json.isEmpty() || json.charAt(0) != '"') {
      return json;
    }
    try {
      JsonNode n = JSON.readTree(json);
      return n != null && n.isTextual() ? n.textValue() : json;
    } catch (JsonProcessingException e) {
      return json;
    }
  }

  static String text(JsonNode frame, String field) {
    JsonNode n = frame.get(field);
    return n == null || n.isNull() ? null : n.asText();
  }

  /** The frame's {@code epoch} and {@code offset}, when both are there and well-formed. */
  static Optional<StreamPosition> position(JsonNode frame) {
    JsonNode e = frame.get("epoch");
    JsonNode o = frame.get("offset");
    if (e == null
        || o == null
        || !e.isTextual()
        || e.textValue().isEmpty()
        || !o.canConvertToLong()
        || o.asLong() < 0) {
      return Optional.empty();
    }
    return Optional.of(new StreamPosition(e.textValue(), o.asLong()));
  }
}
