package dev.roomcast;

/**
 * WebSocket close codes roomcast uses, grouped by what a client should do next (the SSE transport
 * ends the response instead and maps the code to an HTTP status where it still can).
 *
 * <table>
 *   <caption>Close codes</caption>
 *   <tr><th>code</th><th>meaning</th><th>client should</th></tr>
 *   <tr><td>1000</td><td>normal close</td><td>not reconnect</td></tr>
 *   <tr><td>1001</td><td>going away (server stopped without drain)</td><td>reconnect with backoff</td></tr>
 *   <tr><td>1003</td><td>unsupported data (binary frame)</td><td>not retry the same thing</td></tr>
 *   <tr><td>1008</td><td>policy violation (auth, bad room name, abuse)</td><td>not reconnect</td></tr>
 *   <tr><td>1009</td><td>message too big</td><td>reconnect, not resend that message</td></tr>
 *   <tr><td>1011</td><td>server error</td><td>reconnect with backoff</td></tr>
 *   <tr><td>1012</td><td>service restart (drain)</td><td>reconnect at once and resume</td></tr>
 *   <tr><td>1013</td><td>try again later (instance full)</td><td>reconnect with backoff</td></tr>
 *   <tr><td>4000</td><td>slow consumer: outbox overflowed</td><td>reconnect and resume</td></tr>
 *   <tr><td>4001</td><td>connection reached its maximum age</td><td>reconnect at once and resume</td></tr>
 *   <tr><td>4002</td><td>keepalive: no pong in time</td><td>reconnect with backoff and resume</td></tr>
 *   <tr><td>4500</td><td>replaced: a newer connection resumed this client id</td><td>not
 *       reconnect (the newer one is the client now)</td></tr>
 *   <tr><td>4500-4999</td><td>roomcast's terminal codes</td><td>not reconnect</td></tr>
 * </table>
 *
 * <p>Codes 4000-4499 are resumable, 4500-4999 terminal, as in Centrifugo's split.
 */
public final class CloseCodes {
  public static final int NORMAL = 1000;
  public static final int GOING_AWAY = 1001;
  public static final int UNSUPPORTED_DATA = 1003;
  public static final int POLICY_VIOLATION = 1008;
  public static final int TOO_BIG = 1009;
  public static final int SERVER_ERROR = 1011;
  public static final int SERVICE_RESTART = 1012;
  public static final int TRY_AGAIN_LATER = 1013;
  public static final int SLOW_CONSUMER = 4000;
  public static final int MAX_AGE = 4001;
  public static final int KEEPALIVE_TIMEOUT = 4002;
  public static final int REPLACED = 4500;

  private CloseCodes() {}

  /**
   * Whether a client must not reconnect after this code: 1000, 1003, 1008, and 4500-4999.
   *
   * @param code a close code
   * @return {@code true} for terminal codes
   */
  public static boolean isTerminal(int code) {
    return code == NORMAL
        || code == UNSUPPORTED_DATA
        || code == POLICY_VIOLATION
        || (code >= 4500 && code <= 4999);
  }

  /** Whether a client should reconnect at once rather than after a backoff delay. */
  public static boolean reconnectImmediately(int code) {
    return code == SERVICE_RESTART || code == MAX_AGE;
  }
}
