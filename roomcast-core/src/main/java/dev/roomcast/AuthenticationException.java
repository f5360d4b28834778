package dev.roomcast;

/**
 * A caller could not be authenticated (HTTP 401, close 1008). The message is sent to the client:
 * keep it short and free of secrets.
 */
public class AuthenticationException extends JoinRejectedException {
  private static final long serialVersionUID = 1L;

  public AuthenticationException(String message) {
    super(CloseCodes.POLICY_VIOLATION, 401, message);
  }
}
