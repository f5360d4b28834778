package dev.roomcast.grizzly.internal;

import java.util.concurrent.atomic.LongAdder;

/**
 * What the edge refused or cut off, for {@code /metrics} ({@code edge}): each is a count of events
 * since start. Thread-safe: striped adders, bumped on I/O threads.
 */
public final class EdgeCounters {
  /** Connections closed at accept: too many pending, in all or from one address. */
  public final LongAdder connectionsRefused = new LongAdder();

  /** Requests answered 429: the client address holds its limit of connections. */
  public final LongAdder addressLimited = new LongAdder();

  /** Requests refused for their shape (4xx before any handler: CL with TE, bad upgrades). */
  public final LongAdder requestsRefused = new LongAdder();

  /** HTTP bodies that did not arrive in time (408). */
  public final LongAdder bodyTimeouts = new LongAdder();

  /** HTTP publishes answered 429 for their rate. */
  public final LongAdder publishRateLimited = new LongAdder();

  /** WebSocket connections failed for a protocol error (1002): unmasked frames and the like. */
  public final LongAdder protocolErrors = new LongAdder();

  /** WebSocket messages that did not arrive whole in time (1008). */
  public final LongAdder messageTimeouts = new LongAdder();

  /** Connections closed because the inbound budget was full (1013 / 503). */
  public final LongAdder inboundBudgetRefused = new LongAdder();

  /** WebSocket peers cut off because their write queue passed its bound (4000). */
  public final LongAdder writeQueueOverflows = new LongAdder();

  /** Plain HTTP connections closed because the peer did not read its responses. */
  public final LongAdder unreadResponses = new LongAdder();
}
