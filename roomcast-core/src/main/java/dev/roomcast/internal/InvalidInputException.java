package dev.roomcast.internal;

/** Client input was refused; the message is safe to put in an {@code error} frame. */
public final class InvalidInputException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public InvalidInputException(String message) {
    super(message, null, false, false);
  }
}
