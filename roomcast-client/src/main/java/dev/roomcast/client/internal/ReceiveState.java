package dev.roomcast.client.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.roomcast.StreamPosition;
import dev.roomcast.client.Notice;
import dev.roomcast.client.ReceivedMessage;
import dev.roomcast.client.Welcome;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * What a client knows about the frames it received, across its connections: the position to resume
 * from, which offsets are duplicates, where a gap is, and which messages a resume replayed. Pure:
 * no I/O, no clock, no threads; one frame in, one {@link Event} out. Not thread-safe: its owner
 * (the client's state machine) calls it under its lock.
 *
 * <p>Rules: the first {@code system} frame of a connection is its welcome; a fresh join or a
 * welcome with {@code recovered: false} moves the position to the welcome's, a complete resume
 * keeps it. A message in the current epoch at or below the position is a duplicate; one more than a
 * step ahead is a gap (the caller drops the connection and resumes); anything else, including the
 * first message of a new epoch, is delivered and becomes the position. On a connection whose
 * welcome said {@code recovered: true}, messages published before the welcome (by the server's
 * timestamps) are the replay; the first one that is not ends it.
 */
public final class ReceiveState {
  /** What one frame meant. */
  public sealed interface Event {}

  /** The connection's welcome. */
  public record Opened(Welcome welcome) implements Event {}

  /** A room message to deliver. */
  public record Message(ReceivedMessage message) implements Event {}

  /** A room message whose offset was delivered already; dropped. */
  public record Duplicate(StreamPosition at) implements Event {}

  /** An offset that jumped ahead: the connection must be dropped and resumed from {@code after}. */
  public record Gap(StreamPosition after, long received) implements Event {}

  /** A join/leave notice. */
  public record NoticeReceived(Notice notice) implements Event {}

  /**
   * An {@code error} frame; {@code id} is the refused message's id, or {@code null} when it names
   * none.
   */
  public record ServerError(String message, String id) implements Event {}

  /** Nothing to do: unparsable, an unknown type, or a frame before the welcome. */
  public record Ignored(String why) implements Event {}

  private final String room;
  private StreamPosition position;
  // per connection
  private StreamPosition resumedFrom;
  private boolean welcomed;
  private Instant replayBefore; // non-null while this connection's replay lasts
  private long duplicates;
  private long gaps;

  /**
   * @param room the client's room, used where a frame does not name one
   * @param resumeFrom where the first connection resumes from, or {@code null} for a fresh join
   */
  public ReceiveState(String room, StreamPosition resumeFrom) {
    this.room = room;
    this.position = resumeFrom;
  }

  /** A new connection starts: the next {@code system} frame is its welcome. */
  public void connectionStarted() {
    resumedFrom = position;
    welcomed = false;
    replayBefore = null;
  }

  /** Where the next connection resumes from, or {@code null} before any position was seen. */
  public StreamPosition position() {
    return position;
  }

  /** Whether the current connection got its welcome. */
  public boolean welcomed() {
    return welcomed;
  }

  /** Messages dropped as duplicates, over the client's life. */
  public long duplicates() {
    return duplicates;
  }

  /** Gaps found, over the client's life. */
  public long gaps() {
    return gaps;
  }

  /** Decodes one text frame of the current connection and updates the state. */
  public Event receive(String text) {
    JsonNode frame = Frames.parseObject(text);
    if (frame == null) {
      return new Ignored("not a JSON object");
    }
    String type = frame.path("type").asText("");
    if (!welcomed) {
      return type.equals("system") ? welcome(frame, text) : new Ignored(type + " before welcome");
    }
    switch (type) {
      case "message":
        return message(frame, text);
      case "system":
        return new NoticeReceived(
            new Notice(
                frame.path("room").asText(room),
                Frames.text(frame, "client_id"),
                frame.path("message").asText(""),
                Frames.text(frame, "timestamp"),
                text));
      case "error":
        return new ServerError(frame.path("message").asText(""), Frames.text(frame, "id"));
      default:
        return new Ignored("unknown type " + type); // the protocol may add some
    }
  }

  private Event welcome(JsonNode frame, String text) {
    welcomed = true;
    JsonNode rec = frame.get("recovered");
    Optional<Boolean> recovered =
        rec != null && rec.isBoolean() ? Optional.of(rec.booleanValue()) : Optional.empty();
    Optional<StreamPosition> at = Frames.position(frame);
    // a complete resume continues from where we were; otherwise (fresh join, recovered false)
    // the welcome says where live traffic continues from
    if (at.isPresent() && !recovered.orElse(false)) {
      position = at.get();
    }
    String timestamp = Frames.text(frame, "timestamp");
    replayBefore = recovered.orElse(false) ? instant(timestamp) : null;
    return new Opened(
        new Welcome(
            Frames.text(frame, "client_id"),
            frame.path("room").asText(room),
            at,
            recovered,
            Optional.ofNullable(resumedFrom),
            timestamp,
            text));
  }

  private Event message(JsonNode frame, String text) {
    Optional<StreamPosition> at = Frames.position(frame);
    if (at.isPresent() && position != null && at.get().epoch().equals(position.epoch())) {
      long offset = at.get().offset();
      if (offset <= position.offset()) {
        duplicates++;
        return new Duplicate(at.get());
      }
      if (offset > position.offset() + 1) {
        gaps++;
        return new Gap(position, offset);
      }
    }
    // a new epoch starts over; a message without a position (seed server) is just delivered
    at.ifPresent(p -> position = p);
    String timestamp = Frames.text(frame, "timestamp");
    boolean replayed = false;
    if (replayBefore != null) {
      Instant sent = instant(timestamp);
      replayed = sent != null && sent.isBefore(replayBefore);
      if (!replayed) {
        replayBefore = null; // live from here on
      }
    }
    JsonNode content = frame.get("content");
    return new Message(
        new ReceivedMessage(
            frame.path("room").asText(room),
            Frames.text(frame, "client_id"),
            content == null ? "\"\"" : content.toString(),
            timestamp,
            at.map(StreamPosition::epoch).orElse(null),
            at.map(StreamPosition::offset).orElse(-1L),
            replayed,
            text));
  }

  private static Instant instant(String timestamp) {
    if (timestamp == null) {
      return null;
    }
    try {
      return Instant.parse(timestamp);
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
