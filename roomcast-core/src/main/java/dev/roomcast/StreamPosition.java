package dev.roomcast;

import java.util.Objects;

/**
 * A position in a room's history: the epoch and the last offset seen. A client that saw message
 * {@code (epoch, offset)} resumes from this position and receives every later message.
 *
 * @param epoch the room's history epoch; changes whenever the history was lost or reset
 * @param offset the last offset seen; 0 means "nothing yet in this epoch"
 */
public record StreamPosition(String epoch, long offset) {

  public StreamPosition {
    Objects.requireNonNull(epoch, "epoch");
    if (epoch.isEmpty()) {
      throw new IllegalArgumentException("epoch must not be empty");
    }
    if (offset < 0) {
      throw new IllegalArgumentException("offset must be >= 0, was " + offset);
    }
  }

  /**
   * Parses the SSE {@code Last-Event-ID} form {@code <epoch>:<offset>}.
   *
   * @param id the event id
   * @return the position
   * @throws IllegalArgumentException when {@code id} is not of that form
   */
  public static StreamPosition parseEventId(String id) {
    Objects.requireNonNull(id, "id");
    int colon = id.lastIndexOf(':');
    if (colon <= 0 || colon == id.length() - 1) {
      throw new IllegalArgumentException("event id must be <epoch>:<offset>");
    }
    return new StreamPosition(id.substring(0, colon), parseOffset(id.substring(colon + 1)));
  }

  /**
   * Parses a non-negative decimal offset.
   *
   * @throws IllegalArgumentException on anything else
   */
  public static long parseOffset(String text) {
    try {
      long value = Long.parseLong(text);
      if (value < 0) {
        throw new IllegalArgumentException("offset must be a non-negative integer");
      }
      return value;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("offset must be a non-negative integer", e);
    }
  }

  /** The SSE event id form, {@code <epoch>:<offset>}. */
  public String toEventId() {
    return epoch + ":" + offset;
  }
}
