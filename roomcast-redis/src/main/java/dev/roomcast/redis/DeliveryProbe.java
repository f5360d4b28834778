package dev.roomcast.redis;

import java.util.ArrayDeque;

/**
 * The bookkeeping of one subscriber connection's delivery probes, and the rule that turns them into
 * a verdict: pure logic, the clock passed in, no I/O.
 *
 * <p>Every {@code pingInterval} the subscriber asks {@link #next} for a probe to publish where the
 * node's commands go; Redis' reply is {@link #accepted} (or {@link #refused}), and the probe's
 * arrival on the subscriber connection is {@link #arrived}. A probe is <em>missed</em> when Redis
 * accepted it and it has not arrived within {@code timeoutNanos} of that reply. The connection is
 * judged silent only when {@code missesAllowed} probes in a row were missed: one late probe on a
 * loaded machine (a subscriber thread that was not scheduled for a while, a backlog of room traffic
 * ahead of the probe) is not an outage, and a silent link is still caught within about {@code
 * (missesAllowed - 1) × pingInterval + timeout}.
 *
 * <p>A probe whose publish has not been answered yet is neither missed nor counted: a slow command
 * connection is the command timeout's business, not evidence that the subscriber is deaf. While it
 * is unanswered no further probe is sent, so probes never pile up behind a slow Redis.
 *
 * <p>Probes arrive in the order they were published (one publishing connection, one subscriber
 * connection), so the arrival of probe {@code n} settles every earlier one.
 *
 * <p>Thread-safe: the command thread reports replies, the subscriber thread arrivals and the
 * control thread asks for the verdict; every method synchronizes on this object and does no I/O.
 */
final class DeliveryProbe {
  private final int missesAllowed;
  private final long timeoutNanos;

  private long lastSeq;
  private boolean inFlight; // published, Redis has not answered yet
  private long received; // highest sequence number that arrived
  private final ArrayDeque<long[]> awaited = new ArrayDeque<>(); // {seq, acceptedAt}, in order

  /**
   * @param missesAllowed probes in a row that may go missing before the connection is silent
   * @param timeoutNanos how long after Redis accepted a probe it must have arrived
   */
  DeliveryProbe(int missesAllowed, long timeoutNanos) {
    if (missesAllowed < 1) {
      throw new IllegalArgumentException("missesAllowed must be >= 1, was " + missesAllowed);
    }
    this.missesAllowed = missesAllowed;
    this.timeoutNanos = timeoutNanos;
  }

  /** The sequence number of the next probe to publish, or 0 while the last one is unanswered. */
  synchronized long next() {
    if (inFlight) {
      return 0;
    }
    inFlight = true;
    return ++lastSeq;
  }

  /** Redis accepted probe {@code seq} at {@code now}: from now on it may be missed. */
  synchronized void accepted(long seq, long now) {
    if (seq == lastSeq) {
      inFlight = false;
    }
    if (seq > received) { // it may have arrived before its reply
      awaited.addLast(new long[] {seq, now});
    }
  }

  /**
   * Redis ran probe {@code seq} at {@code now} and said it reached no subscriber: missed at once.
   */
  synchronized void unheard(long seq, long now) {
    accepted(seq, now - timeoutNanos - 1);
  }

  /**
   * Redis did not run probe {@code seq} (the command failed, was redirected or refused, or the node
   * was going down): it says nothing about the subscriber, so it counts neither way.
   */
  synchronized void refused(long seq) {
    if (seq == lastSeq) {
      inFlight = false;
    }
  }

  /** Probe {@code seq} (0: not a probe of this node's) arrived on the subscriber connection. */
  synchronized void arrived(long seq) {
    if (seq <= received) {
      return;
    }
    received = seq;
    while (!awaited.isEmpty() && awaited.peekFirst()[0] <= seq) {
      awaited.pollFirst();
    }
  }

  /** Probes accepted and not arrived within the timeout, as of {@code now}. */
  synchronized int missed(long now) {
    int n = 0;
    for (long[] p : awaited) {
      if (now - p[1] > timeoutNanos) {
        n++;
      }
    }
    return n;
  }

  /** Whether {@code missesAllowed} probes in a row were missed as of {@code now}. */
  synchronized boolean isSilent(long now) {
    return missed(now) >= missesAllowed;
  }

  /** How many misses in a row make a link silent, for the failure message. */
  int missesAllowed() {
    return missesAllowed;
  }
}
