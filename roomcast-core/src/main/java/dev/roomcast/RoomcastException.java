package dev.roomcast;

/** Base class of roomcast's own runtime exceptions. Messages never contain secrets. */
public class RoomcastException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public RoomcastException(String message, Throwable cause) {
    super(message, cause);
  }
}
