package dev.roomcast.internal;

/**
 * Client input was refused; the message is safe to put in an {@code error} frame, and {@link
 * #frameId()} is the refused frame's own {@code id} when it could be read.
 */
public final class InvalidInputException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String frameId;

  public InvalidInputException(String message) {
    this(message, null);
  }

  private InvalidInputException(String message, String frameId) {
    super(message, null, false, false);
    this.frameId = frameId;
  }

  /** The same refusal, naming the frame's id (compact JSON, or {@code null}). */
  InvalidInputException forFrame(String id) {
    return id == null ? this : new InvalidInputException(getMessage(), id);
  }

  /** The refused frame's id as compact JSON, or {@code null}. */
  public String frameId() {
    return frameId;
  }
}
