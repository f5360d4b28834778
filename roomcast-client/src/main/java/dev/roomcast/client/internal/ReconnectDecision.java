package dev.roomcast.client.internal;

import dev.roomcast.BackoffPolicy;
import dev.roomcast.CloseCodes;
import java.util.OptionalLong;

/**
 * What follows the end of a connection or a connection attempt: connect again after a delay, or
 * stop for good. Pure: the same ending, failure count and policy always give the same outcome
 * (randomness is the policy's, injectable). Thread-safe (stateless).
 *
 * <ol>
 *   <li>The client dropped a welcomed connection to resume across a gap: at once.
 *   <li>A handshake refused with HTTP 4xx other than 408 and 429 (bad room, auth, not found): a
 *       retry cannot change it, terminal (reported as 1008). Except 404 once this client has been
 *       welcomed at this URI: a server that is stopping or starting answers 404 while its WebSocket
 *       endpoint is not deployed (seen with Tyrus on Grizzly during a restart), so it is the next
 *       backoff step.
 *   <li>A terminal close code ({@link CloseCodes#isTerminal}): terminal, with that code.
 *   <li>A welcomed connection closed with 1012 or 4001 ({@link CloseCodes#reconnectImmediately}):
 *       at once. Only after a welcome: an attempt that a draining server refused with 1012 before
 *       its welcome goes to the backoff, or the client would hammer the instance that is stopping.
 *   <li>Anything else (1001, 1006, 1011, 1013, 4000, 4002, refused TCP, reset, no welcome in time,
 *       HTTP 5xx, 408, 429): the next backoff step; terminal when the policy gives up.
 * </ol>
 */
public final class ReconnectDecision {
  /** The abnormal close code: the connection ended without a close frame. */
  public static final int ABNORMAL = 1006;

  private ReconnectDecision() {}

  /**
   * How a connection or an attempt ended.
   *
   * @param code the close code, {@link #ABNORMAL} when there was none
   * @param reason the close reason or the failure's message
   * @param welcomed whether the connection got its welcome
   * @param gap whether the client itself dropped it to resume across a gap
   * @param refusedStatus the HTTP status of a refused handshake, or -1
   * @param welcomedBefore whether any earlier connection of this client got a welcome
   */
  public record Ending(
      int code,
      String reason,
      boolean welcomed,
      boolean gap,
      int refusedStatus,
      boolean welcomedBefore) {
    /** A close frame (or a close the client decided on) on a connection. */
    public static Ending closed(int code, String reason, boolean welcomed) {
      return new Ending(code, reason, welcomed, false, -1, false);
    }

    /** An attempt or connection that failed without a close frame. */
    public static Ending failed(
        String reason, boolean welcomed, int refusedStatus, boolean welcomedBefore) {
      return new Ending(ABNORMAL, reason, welcomed, false, refusedStatus, welcomedBefore);
    }

    /** The client dropped the connection to resume across a gap. */
    public static Ending gap(int code, String reason) {
      return new Ending(code, reason, true, true, -1, true);
    }
  }

  /**
   * The decision.
   *
   * @param terminal whether the client stops for good
   * @param code the close code to report (for a terminal outcome, {@code onClose}'s)
   * @param reason the reason to report
   * @param delayMillis how long to wait before the next attempt (0 = at once); 0 when terminal
   * @param attempt the consecutive failed attempts, as {@code Reconnecting.attempt} reports them
   * @param failures the count of consecutive failures to carry into the next decision
   */
  public record Outcome(
      boolean terminal, int code, String reason, long delayMillis, int attempt, int failures) {}

  /**
   * @param ending how it ended
   * @param failures consecutive failed attempts before this one (reset by a welcome)
   * @param backoff the delays
   */
  public static Outcome after(Ending ending, int failures, BackoffPolicy backoff) {
    String reason = ending.reason() == null ? "" : ending.reason();
    if (ending.gap()) {
      return new Outcome(false, ending.code(), reason, 0, 0, 0);
    }
    int status = ending.refusedStatus();
    boolean restarting = status == 404 && ending.welcomedBefore();
    if (status >= 400 && status < 500 && status != 408 && status != 429 && !restarting) {
      return new Outcome(
          true, CloseCodes.POLICY_VIOLATION, "handshake refused with HTTP " + status, 0, 0, 0);
    }
    if (CloseCodes.isTerminal(ending.code())) {
      return new Outcome(true, ending.code(), reason, 0, 0, 0);
    }
    if (ending.welcomed() && CloseCodes.reconnectImmediately(ending.code())) {
      return new Outcome(false, ending.code(), reason, 0, 0, 0);
    }
    int attempt = failures + 1;
    OptionalLong delay = backoff.delayMillis(attempt);
    if (delay.isEmpty()) {
      return new Outcome(
          true,
          ending.code(),
          "gave up after " + (attempt - 1) + " reconnect attempts; last: " + reason,
          0,
          attempt,
          attempt);
    }
    return new Outcome(false, ending.code(), reason, delay.getAsLong(), attempt, attempt);
  }
}
