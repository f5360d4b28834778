package dev.roomcast.bench;

import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Collects deliveries of one measured run.
 *
 * <p>Each run stamps its own tag into the content, so late frames of a warmup or an earlier step
 * can never be counted in this run's totals or latencies.
 */
public final class Sink {
  /** Latencies above one hour are clamped; the histogram needs a bound. */
  static final long MAX_MICROS = 3_600_000_000L;

  private final long tag;
  private final Recorder latency = new Recorder(MAX_MICROS, 3);
  private final LongAdder delivered = new LongAdder();
  private final LongAdder deliveredToSlow = new LongAdder();
  private final AtomicLong lastDeliveryNanos = new AtomicLong();
  private final AtomicIntegerArray perSeq;

  /**
   * Creates the sink of one run.
   *
   * @param tag the run tag publishers put into {@code content.r}
   * @param messages messages this run will publish (sizes the per-sequence delivery counts)
   */
  public Sink(long tag, int messages) {
    this.tag = tag;
    this.perSeq = new AtomicIntegerArray(Math.max(0, messages));
  }

  /** The run tag. */
  public long tag() {
    return tag;
  }

  void deliver(boolean counted, long seq, long latencyMicros, long nowNanos) {
    if (seq >= 0 && seq < perSeq.length()) {
      perSeq.incrementAndGet((int) seq);
    }
    if (counted) {
      latency.recordValue(Math.max(0, Math.min(MAX_MICROS, latencyMicros)));
      delivered.increment();
    } else {
      deliveredToSlow.increment();
    }
    lastDeliveryNanos.accumulateAndGet(nowNanos, Math::max);
  }

  /** Deliveries to counted (reading) members so far. */
  public long delivered() {
    return delivered.sum();
  }

  /** Deliveries to members that stopped reading (slow scenario). */
  public long deliveredToSlow() {
    return deliveredToSlow.sum();
  }

  /** {@link System#nanoTime()} of the latest delivery, 0 if none. */
  public long lastDeliveryNanos() {
    return lastDeliveryNanos.get();
  }

  /**
   * Messages among the first {@code published} that reached nobody: tells a message lost on the way
   * in (server never broadcast it) from per-member losses.
   */
  public int unseenMessages(long published) {
    int n = 0;
    for (int i = 0; i < Math.min(published, perSeq.length()); i++) {
      if (perSeq.get(i) == 0) {
        n++;
      }
    }
    return n;
  }

  /** Lowest sequence number among the first {@code published} that reached nobody, or -1. */
  public long firstUnseen(long published) {
    for (int i = 0; i < Math.min(published, perSeq.length()); i++) {
      if (perSeq.get(i) == 0) {
        return i;
      }
    }
    return -1;
  }

  /** Latency histogram (µs) of everything recorded so far; call once, at the end of the run. */
  public Histogram latencyHistogram() {
    return latency.getIntervalHistogram();
  }
}
