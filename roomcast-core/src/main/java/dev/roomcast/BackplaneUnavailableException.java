package dev.roomcast;

/**
 * The backplane cannot be reached; the operation failed fast rather than waiting. The message is
 * safe to show to clients.
 */
public class BackplaneUnavailableException extends RoomcastException {
  private static final long serialVersionUID = 1L;

  public BackplaneUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }

  public BackplaneUnavailableException(String message) {
    super(message, null);
  }
}
