package dev.roomcast.internal;

import dev.roomcast.StreamPosition;
import dev.roomcast.spi.RoomMessage;
import java.util.Map;
import java.util.TreeMap;

/**
 * A room's delivery order on one hub: the epoch and last delivered offset, and the messages that
 * arrived ahead of a missing one. Pure logic: it decides what is delivered, in which order, and
 * tells its {@link Sink}; it does no I/O and keeps no timers.
 *
 * <p>Rules: within an epoch, offsets are delivered strictly in order, each once; an offset already
 * delivered is dropped (a node's own echo, a duplicate after a reconnect); one ahead of the next
 * expected waits (at most {@code maxEarly} of them, then the gap is skipped); a message of another
 * epoch starts the count again from it (the history was reset). {@link #skipGap} gives up on the
 * missing offsets before the first waiting message.
 *
 * <p>Not thread-safe: its room's monitor guards it.
 */
final class RoomSequencer {

  /** Where the sequencer's decisions go. */
  interface Sink {
    /** Deliver this message, to every member but {@code except} (may be null). */
    void deliver(RoomMessage message, Member except);

    /** Messages wait for a missing offset now (a gap opened). */
    void gapOpened();

    /** Nothing waits any more. */
    void gapClosed();

    /** {@code count} offsets were given up on. */
    void skipped(long count);
  }

  /** A message waiting for a missing offset, with the member it must skip (or null). */
  private record Early(RoomMessage message, Member except) {}

  private final Sink sink;
  private final int maxEarly;
  private final TreeMap<Long, Early> early = new TreeMap<>();
  private String epoch;
  private long lastDelivered;

  RoomSequencer(StreamPosition start, int maxEarly, Sink sink) {
    this.sink = sink;
    this.maxEarly = maxEarly;
    if (start != null) {
      this.epoch = start.epoch();
      this.lastDelivered = start.offset();
    }
  }

  /** The last delivered position, or {@code null} while the epoch is unknown. */
  StreamPosition position() {
    return epoch == null ? null : new StreamPosition(epoch, lastDelivered);
  }

  String epoch() {
    return epoch;
  }

  long lastDelivered() {
    return lastDelivered;
  }

  /** Jumps to a position (the room's position became known, or history was lost there). */
  void moveTo(String newEpoch, long offset) {
    if (!early.isEmpty()) {
      early.clear();
      sink.gapClosed();
    }
    epoch = newEpoch;
    lastDelivered = offset;
  }

  boolean hasGap() {
    return !early.isEmpty();
  }

  /** Offers a message; see the class comment. */
  void offer(RoomMessage m, Member except) {
    if (epoch == null || !epoch.equals(m.epoch())) {
      // First message of a room whose position was unknown, or the history was reset (new epoch):
      // count from this message. Members see the new epoch in the frames.
      if (!early.isEmpty()) {
        early.clear();
        sink.gapClosed();
      }
      epoch = m.epoch();
      lastDelivered = m.offset() - 1;
    }
    long off = m.offset();
    if (off <= lastDelivered) {
      return;
    }
    if (off > lastDelivered + 1) {
      boolean opened = early.isEmpty();
      early.put(off, new Early(m, except));
      if (early.size() > maxEarly) {
        skipGap();
      } else if (opened) {
        sink.gapOpened();
      }
      return;
    }
    deliver(m, except);
    drainEarly();
  }

  /** Gives up on the missing offsets before the first waiting message. */
  void skipGap() {
    if (early.isEmpty()) {
      return;
    }
    long first = early.firstKey();
    sink.skipped(first - lastDelivered - 1);
    lastDelivered = first - 1;
    drainEarly();
  }

  private void drainEarly() {
    boolean had = !early.isEmpty();
    Map.Entry<Long, Early> e;
    while ((e = early.firstEntry()) != null && e.getKey() <= lastDelivered + 1) {
      early.pollFirstEntry();
      if (e.getKey() == lastDelivered + 1) {
        deliver(e.getValue().message(), e.getValue().except());
      }
    }
    if (had && early.isEmpty()) {
      sink.gapClosed();
    }
  }

  private void deliver(RoomMessage m, Member except) {
    lastDelivered = m.offset();
    sink.deliver(m, except);
  }
}
