package dev.roomcast;

/**
 * The {@link RoomAuthorizer} refused a join or a publish (HTTP 403, close 1008). The message is
 * sent to the client.
 */
public class AccessDeniedException extends JoinRejectedException {
  private static final long serialVersionUID = 1L;

  public AccessDeniedException(String message) {
    super(CloseCodes.POLICY_VIOLATION, 403, message);
  }
}
