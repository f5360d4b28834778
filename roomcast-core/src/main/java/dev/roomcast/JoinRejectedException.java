package dev.roomcast;

/**
 * A join was refused before any room work was done: the hub is draining or full, the room name is
 * invalid, or a limit was hit. Transports answer the handshake with {@link #httpStatus()} where
 * they still can, otherwise close with {@link #closeCode()}.
 */
public class JoinRejectedException extends RoomcastException {
  private static final long serialVersionUID = 1L;
  private final int closeCode;
  private final int httpStatus;

  public JoinRejectedException(int closeCode, int httpStatus, String message) {
    super(message, null);
    this.closeCode = closeCode;
    this.httpStatus = httpStatus;
  }

  /** The WebSocket close code to use. */
  public int closeCode() {
    return closeCode;
  }

  /** The HTTP status for a handshake or SSE response that has not started yet. */
  public int httpStatus() {
    return httpStatus;
  }
}
