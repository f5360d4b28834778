package dev.roomcast.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import dev.roomcast.Identity;
import dev.roomcast.spi.OutboundFrame;
import dev.roomcast.spi.RoomMessage;
import dev.roomcast.spi.RoomNotice;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The JSON codec of wire protocol v1: encodes server frames, decodes and validates client frames.
 * Thread-safe (Jackson factories and mappers are).
 */
public final class WireCodec {
  /** The seed server's exact error text for unparsable frames. */
  public static final String INVALID_JSON = "Invalid JSON format";

  private final ObjectMapper mapper;
  private final JsonFactory factory;
  private final int maxContentBytes;

  public WireCodec(int maxJsonDepth, int maxContentBytes) {
    this.factory =
        JsonFactory.builder()
            .streamReadConstraints(
                StreamReadConstraints.builder().maxNestingDepth(maxJsonDepth).build())
            .build();
    this.mapper = new ObjectMapper(factory);
    mapper.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    // Content is relayed, not computed with: decimals stay exact (as doubles, 1e400 became the
    // string "Infinity" and 8589934592.000001 lost its last digit), trailing zeros stay as sent.
    mapper.enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
    mapper.configure(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES, false);
    this.maxContentBytes = maxContentBytes;
  }

  /**
   * Decodes a client frame into the compact JSON text of its {@code content}. A missing {@code
   * content} becomes {@code ""} as in the seed server.
   *
   * @throws InvalidInputException with a message safe to send to the client
   */
  public String decodeContent(String text) {
    ClientFrame f = decode(text);
    if (f.presenceRequest()) {
      return "\"\"";
    }
    return f.content();
  }

  /** The longest {@code id} a client may put on a frame, in characters. */
  public static final int MAX_ID_CHARS = 64;

  /** The error for an {@code id} that is neither a short string nor an integer. */
  public static final String INVALID_ID_MESSAGE =
      "id must be a string of at most " + MAX_ID_CHARS + " characters or an integer";

  /**
   * A decoded client frame: a message to publish, or a request for the room's presence ({@code
   * {"type":"presence"}} without {@code content}; seed clients never send one). {@code id} is the
   * compact JSON of the client's own {@code id} for this frame, echoed on an error that refuses it,
   * or {@code null} when it sent none.
   */
  public record ClientFrame(String content, boolean presenceRequest, String id) {}

  /**
   * Decodes a client frame.
   *
   * @throws InvalidInputException with a message safe to send to the client
   */
  public ClientFrame decode(String text) {
    JsonNode root;
    try {
      root = mapper.readTree(text);
    } catch (StreamConstraintsException e) {
      throw constraintViolated(e);
    } catch (JsonProcessingException e) {
      throw new InvalidInputException(INVALID_JSON);
    }
    if (root == null || !root.isObject()) {
      throw new InvalidInputException("Message must be a JSON object like {\"content\": ...}");
    }
    String id = clientId(root.get("id"));
    JsonNode content = root.get("content");
    if (content == null) {
      JsonNode type = root.get("type");
      if (type != null && type.isTextual() && type.asText().equals("presence")) {
        return new ClientFrame(null, true, id);
      }
      return new ClientFrame("\"\"", false, id);
    }
    try {
      return new ClientFrame(compactContent(content), false, id);
    } catch (InvalidInputException e) {
      throw e.forFrame(id);
    }
  }

  // A bounded string or an integer: it is held with the message while it waits and echoed as is,
  // so it can be neither large nor a structure.
  private static String clientId(JsonNode id) {
    if (id == null || id.isNull()) {
      return null;
    }
    if (id.isTextual() && id.textValue().length() <= MAX_ID_CHARS) {
      return id.toString();
    }
    if (id.isIntegralNumber() && id.canConvertToLong()) {
      return Long.toString(id.longValue());
    }
    throw new InvalidInputException(INVALID_ID_MESSAGE);
  }

  /**
   * Validates and compacts application-supplied content JSON.
   *
   * @throws InvalidInputException when it is not one JSON value or breaks a limit
   */
  public String normalizeContent(String contentJson) {
    JsonNode node;
    try {
      node = mapper.readTree(contentJson);
    } catch (StreamConstraintsException e) {
      throw constraintViolated(e);
    } catch (JsonProcessingException e) {
      throw new InvalidInputException("content is not valid JSON");
    }
    if (node == null || node.isMissingNode()) {
      throw new InvalidInputException("content is not valid JSON");
    }
    return compactContent(node);
  }

  /**
   * Jackson's read constraints cover nesting depth and the length of numbers, strings and names;
   * only the first is about depth (a 1,001-digit number is not "nested too deeply").
   */
  private static InvalidInputException constraintViolated(StreamConstraintsException e) {
    String m = e.getOriginalMessage();
    if (m != null && m.contains("nesting depth")) {
      return new InvalidInputException("JSON nested too deeply");
    }
    return new InvalidInputException("JSON value too large");
  }

  private String compactContent(JsonNode content) {
    String compact;
    try {
      compact = mapper.writeValueAsString(content);
    } catch (JsonProcessingException e) {
      throw new InvalidInputException(INVALID_JSON);
    }
    // Cheap bound first: a UTF-8 encoding has at least as many bytes as the string has chars.
    if (compact.length() > maxContentBytes
        || (compact.length() * 3L > maxContentBytes
            && compact.getBytes(StandardCharsets.UTF_8).length > maxContentBytes)) {
      throw new InvalidInputException("content too large (max " + maxContentBytes + " bytes)");
    }
    return compact;
  }

  /** Encodes a room message once; the frame is shared by every recipient on this node. */
  public OutboundFrame message(RoomMessage m) {
    String text =
        write(
            g -> {
              g.writeStringField("type", "message");
              g.writeStringField("client_id", m.clientId());
              writeWho(g, m.user(), m.name());
              g.writeFieldName("content");
              g.writeRawValue(m.contentJson());
              g.writeStringField("timestamp", m.timestamp());
              g.writeStringField("room", m.room());
              g.writeNumberField("offset", m.offset());
              g.writeStringField("epoch", m.epoch());
            });
    return OutboundFrame.roomMessage(text, m.epoch(), m.offset(), epochMillis(m.timestamp()));
  }

  /**
   * Epoch milliseconds of an ISO-8601 UTC instant, or {@code -1} if it is not one. The hub's own
   * timestamps ({@code Instant.toString()}: {@code yyyy-MM-ddTHH:mm:ss[.fraction]Z}) are parsed by
   * hand: {@code Instant.parse} builds a formatter per call on JDK 17 and cost more than the whole
   * rest of the encode (JMH {@code CodecBenchmark}). Anything else falls back to {@code
   * Instant.parse}.
   */
  static long epochMillis(String iso) {
    long fast = fastEpochMillis(iso);
    if (fast != Long.MIN_VALUE) {
      return fast;
    }
    try {
      return java.time.Instant.parse(iso).toEpochMilli();
    } catch (java.time.format.DateTimeParseException e) {
      return -1;
    }
  }

  /** {@code Long.MIN_VALUE} when {@code s} is not exactly {@code yyyy-MM-ddTHH:mm:ss[.f{1,9}]Z}. */
  private static long fastEpochMillis(String s) {
    int n = s.length();
    if (n < 20
        || s.charAt(4) != '-'
        || s.charAt(7) != '-'
        || s.charAt(10) != 'T'
        || s.charAt(13) != ':'
        || s.charAt(16) != ':'
        || s.charAt(n - 1) != 'Z') {
      return Long.MIN_VALUE;
    }
    int year = digits(s, 0, 4);
    int month = digits(s, 5, 2);
    int day = digits(s, 8, 2);
    int hour = digits(s, 11, 2);
    int minute = digits(s, 14, 2);
    int second = digits(s, 17, 2);
    if ((year | month | day | hour | minute | second) < 0
        || month < 1
        || month > 12
        || day < 1
        || day > java.time.YearMonth.of(year, month).lengthOfMonth()
        || hour > 23
        || minute > 59
        || second > 59) {
      return Long.MIN_VALUE;
    }
    int millis = 0;
    if (n > 20) {
      int fractionDigits = n - 21;
      if (s.charAt(19) != '.' || fractionDigits < 1 || fractionDigits > 9) {
        return Long.MIN_VALUE;
      }
      int taken = Math.min(3, fractionDigits);
      millis = digits(s, 20, taken);
      if (millis < 0 || (fractionDigits > 3 && digits(s, 23, fractionDigits - 3) < 0)) {
        return Long.MIN_VALUE;
      }
      for (int i = taken; i < 3; i++) {
        millis *= 10;
      }
    } else if (n != 20) {
      return Long.MIN_VALUE;
    }
    long days = java.time.LocalDate.of(year, month, day).toEpochDay();
    return ((days * 24 + hour) * 60 + minute) * 60_000L + second * 1000L + millis;
  }

  /** The decimal value of {@code count} ASCII digits at {@code from}, or -1. */
  private static int digits(String s, int from, int count) {
    int v = 0;
    for (int i = from; i < from + count; i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      v = v * 10 + (c - '0');
    }
    return v;
  }

  /** The seed's join/leave notice. */
  public OutboundFrame notice(RoomNotice n) {
    String verb = n.kind() == RoomNotice.Kind.JOIN ? " joined the room" : " left the room";
    String who = n.name() != null ? n.name() : n.user() != null ? n.user() : n.clientId();
    return OutboundFrame.system(
        write(
            g -> {
              g.writeStringField("type", "system");
              g.writeStringField("message", who + verb);
              g.writeStringField("client_id", n.clientId());
              writeWho(g, n.user(), n.name());
              g.writeStringField("timestamp", n.timestamp());
              g.writeStringField("room", n.room());
            }));
  }

  /**
   * The welcome frame.
   *
   * @param epoch the room epoch, or {@code null} when unknown (backplane unreachable)
   * @param offset the last offset before the first message this member will get
   * @param recovered {@code null} for a fresh join, otherwise the resume outcome
   * @param who the member, whose {@code user} and {@code name} the welcome repeats
   * @param resumeToken the token a reconnect presents to keep this client id, or {@code null}
   * @param tokenRefusal why a presented resume token was not honoured, or {@code null}
   */
  public OutboundFrame welcome(
      String clientId,
      String room,
      String timestamp,
      String epoch,
      long offset,
      Boolean recovered,
      Identity who,
      String resumeToken,
      String tokenRefusal) {
    return OutboundFrame.system(
        write(
            g -> {
              g.writeStringField("type", "system");
              g.writeStringField(
                  "message", "Welcome to room " + room + ". You are " + clientId + ".");
              g.writeStringField("client_id", clientId);
              g.writeStringField("timestamp", timestamp);
              g.writeStringField("room", room);
              if (epoch != null) {
                g.writeStringField("epoch", epoch);
                g.writeNumberField("offset", offset);
              }
              if (recovered != null) {
                g.writeBooleanField("recovered", recovered);
              }
              writeWho(g, who.user(), who.displayName());
              if (resumeToken != null) {
                g.writeStringField("resume_token", resumeToken);
              }
              if (tokenRefusal != null) {
                g.writeStringField("resume_token_refused", tokenRefusal);
              }
            }));
  }

  /** The sender's {@code user} and {@code name}, each only when known (seed frames stay as is). */
  private static void writeWho(JsonGenerator g, String user, String name) throws IOException {
    if (user != null) {
      g.writeStringField("user", user);
    }
    if (name != null) {
      g.writeStringField("name", name);
    }
  }

  /** The room's presence: {@code {"type":"presence","room":..,"count":..,"members":[..]}}. */
  public OutboundFrame presence(dev.roomcast.Presence p) {
    return OutboundFrame.system(
        write(
            g -> {
              g.writeStringField("type", "presence");
              g.writeStringField("room", p.room());
              g.writeNumberField("count", p.count());
              g.writeArrayFieldStart("members");
              for (dev.roomcast.PresenceMember m : p.members()) {
                writeMember(g, m.clientId(), m.user(), m.name(), m.joinedAt().toString());
              }
              g.writeEndArray();
            }));
  }

  /**
   * A join or leave as a presence change, for clients that asked for diffs instead of the seed's
   * text notices: {@code {"type":"presence_diff","room":..,"joins":[..],"leaves":[..]}}.
   */
  public OutboundFrame presenceDiff(RoomNotice n) {
    return OutboundFrame.system(
        write(
            g -> {
              g.writeStringField("type", "presence_diff");
              g.writeStringField("room", n.room());
              g.writeStringField("timestamp", n.timestamp());
              boolean join = n.kind() == RoomNotice.Kind.JOIN;
              g.writeArrayFieldStart("joins");
              if (join) {
                writeMember(g, n.clientId(), n.user(), n.name(), n.timestamp());
              }
              g.writeEndArray();
              g.writeArrayFieldStart("leaves");
              if (!join) {
                writeMember(g, n.clientId(), n.user(), n.name(), null);
              }
              g.writeEndArray();
            }));
  }

  private static void writeMember(
      JsonGenerator g, String clientId, String user, String name, String joinedAt)
      throws IOException {
    g.writeStartObject();
    g.writeStringField("client_id", clientId);
    writeWho(g, user, name);
    if (joinedAt != null) {
      g.writeStringField("joined_at", joinedAt);
    }
    g.writeEndObject();
  }

  /** An error frame; the message must be safe for clients (no class names, no traces). */
  public OutboundFrame error(String message) {
    return error(message, null);
  }

  /**
   * An error frame that refuses the client frame with {@code id} (its compact JSON from {@link
   * ClientFrame#id()}), or refuses nothing in particular when {@code id} is {@code null}.
   */
  public OutboundFrame error(String message, String id) {
    return OutboundFrame.system(
        write(
            g -> {
              g.writeStringField("type", "error");
              g.writeStringField("message", message);
              if (id != null) {
                g.writeFieldName("id");
                g.writeRawValue(id);
              }
            }));
  }

  /** The shared mapper, configured with the hub's depth limit. */
  public ObjectMapper mapper() {
    return mapper;
  }

  private interface Body {
    void write(JsonGenerator g) throws IOException;
  }

  private String write(Body body) {
    StringWriter w = new StringWriter(128);
    try (JsonGenerator g = factory.createGenerator(w)) {
      g.writeStartObject();
      body.write(g);
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return w.toString();
  }
}
