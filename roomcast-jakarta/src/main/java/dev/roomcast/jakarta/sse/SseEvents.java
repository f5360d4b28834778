package dev.roomcast.jakarta.sse;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.roomcast.spi.OutboundFrame;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The Server-Sent Events wire format of roomcast (see {@code docs/protocol.md}): every frame is a
 * plain {@code message} event whose {@code data:} is the same JSON a WebSocket client receives.
 * Room messages carry {@code id: <epoch>:<offset>}, and so does the welcome when it knows the
 * room's position, so a browser's {@code EventSource} sends back the right {@code Last-Event-ID}
 * even when it reconnects before the first room message.
 *
 * <p>Stateless and thread-safe: every method is a pure function of its arguments.
 */
public final class SseEvents {
  /** The response media type. */
  public static final String CONTENT_TYPE = "text/event-stream";

  /** The heartbeat: a comment line, ignored by clients, that keeps proxies from timing out. */
  private static final byte[] HEARTBEAT = ": heartbeat\n\n".getBytes(StandardCharsets.US_ASCII);

  private static final byte[] ID = "id: ".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] DATA = "data: ".getBytes(StandardCharsets.US_ASCII);
  private static final ObjectMapper JSON = new ObjectMapper();

  private SseEvents() {}

  /** {@code retry: <millis>} followed by a blank line: how long a client waits to reconnect. */
  public static byte[] retry(Duration delay) {
    return ("retry: " + delay.toMillis() + "\n\n").getBytes(StandardCharsets.US_ASCII);
  }

  /** The heartbeat comment, {@code ": heartbeat"} and a blank line. Callers must not modify it. */
  public static byte[] heartbeat() {
    return HEARTBEAT;
  }

  /**
   * One event: an optional {@code id:} line, then the frame's text as {@code data:} lines, then a
   * blank line. roomcast's JSON is compact and never contains a line break; if a frame ever did, it
   * would be split into several {@code data:} lines, which clients join with {@code \n} — still the
   * same JSON.
   *
   * @param frame the frame
   * @param id the event id, or {@code null} for none
   */
  public static byte[] event(OutboundFrame frame, String id) {
    String text = frame.text();
    if (text.indexOf('\n') >= 0 || text.indexOf('\r') >= 0) {
      return multiLine(text, id);
    }
    byte[] data = frame.utf8();
    byte[] idBytes = id == null ? null : id.getBytes(StandardCharsets.UTF_8);
    int size =
        DATA.length + data.length + 2 + (idBytes == null ? 0 : ID.length + idBytes.length + 1);
    byte[] out = new byte[size];
    int p = 0;
    if (idBytes != null) {
      p = put(out, p, ID);
      p = put(out, p, idBytes);
      out[p++] = '\n';
    }
    p = put(out, p, DATA);
    p = put(out, p, data);
    out[p++] = '\n';
    out[p] = '\n';
    return out;
  }

  private static byte[] multiLine(String text, String id) {
    StringBuilder sb = new StringBuilder(text.length() + 32);
    if (id != null) {
      sb.append("id: ").append(id).append('\n');
    }
    for (String line : text.split("\r\n|\r|\n", -1)) {
      sb.append("data: ").append(line).append('\n');
    }
    sb.append('\n');
    return sb.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static int put(byte[] out, int p, byte[] src) {
    System.arraycopy(src, 0, out, p, src.length);
    return p + src.length;
  }

  /**
   * The event id of a room message, {@code <epoch>:<offset>}, or {@code null} for frames without a
   * history position.
   */
  public static String idOf(OutboundFrame frame) {
    return frame.hasPosition() ? frame.epoch() + ":" + frame.offset() : null;
  }

  /**
   * The event id for a welcome frame: {@code <epoch>:<offset>} of the position the connection
   * starts after, or {@code null} when the welcome has none (the backplane was unreachable) or the
   * frame is not a welcome. Resuming from it is always correct: the next room message the
   * connection gets has {@code offset + 1}, and after {@code recovered: false} it is where live
   * traffic continues.
   */
  public static String welcomeIdOf(OutboundFrame frame) {
    if (frame.hasPosition()) {
      return null;
    }
    try {
      JsonNode n = JSON.readTree(frame.text());
      JsonNode epoch = n.get("epoch");
      JsonNode offset = n.get("offset");
      if (!"system".equals(n.path("type").asText())
          || epoch == null
          || !epoch.isTextual()
          || epoch.asText().isEmpty()
          || offset == null
          || !offset.canConvertToLong()) {
        return null;
      }
      return epoch.asText() + ":" + offset.asLong();
    } catch (JsonProcessingException e) {
      return null;
    }
  }

  /** The JSON body of an error answer, {@code {"error":"<message>"}}. */
  public static String errorJson(String message) {
    return JSON.createObjectNode().put("error", message == null ? "error" : message).toString();
  }
}
