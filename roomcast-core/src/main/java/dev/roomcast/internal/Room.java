package dev.roomcast.internal;

import dev.roomcast.StreamPosition;
import dev.roomcast.spi.OutboundFrame;
import dev.roomcast.spi.RoomMessage;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ScheduledFuture;

/**
 * A room's local state on one hub: its members and its delivery sequencer.
 *
 * <p>Ordering: every room message, from a local publish or from another node, passes {@link
 * #offer}, which delivers in strict offset order, drops duplicates (offset already delivered, e.g.
 * a node's own echo) and holds back messages that arrive early until the gap is filled (the engine
 * reads the gap from history after a short timeout, or skips it if it is gone). The room's monitor
 * guards the sequencer and membership changes, so a member is added or removed between two
 * deliveries, never during one; deliveries only enqueue into outboxes, they never wait on I/O.
 *
 * <p>The member array is copy-on-write: broadcasts iterate a snapshot without copying.
 */
public final class Room {
  private static final Member[] NO_MEMBERS = new Member[0];

  final String name;
  private final HubEngine engine;
  private volatile Member[] members = NO_MEMBERS;

  // sequencer state, guarded by this
  String epoch;
  long lastDelivered;
  private final TreeMap<Long, Early> early = new TreeMap<>();

  /** A message waiting for a missing offset, with the member it must skip (or null). */
  private record Early(RoomMessage message, Member except) {}

  ScheduledFuture<?> gapTimer;

  Room(String name, HubEngine engine, StreamPosition position) {
    this.name = name;
    this.engine = engine;
    if (position != null) {
      this.epoch = position.epoch();
      this.lastDelivered = position.offset();
    }
  }

  public String name() {
    return name;
  }

  /** Local members right now. */
  public int size() {
    return members.length;
  }

  Member[] members() {
    return members;
  }

  synchronized void add(Member m) {
    Member[] cur = members;
    Member[] next = Arrays.copyOf(cur, cur.length + 1);
    next[cur.length] = m;
    members = next;
  }

  /** Removes a member; returns whether the room is now empty. */
  synchronized boolean remove(Member m) {
    Member[] cur = members;
    for (int i = 0; i < cur.length; i++) {
      if (cur[i] == m) {
        Member[] next = new Member[cur.length - 1];
        System.arraycopy(cur, 0, next, 0, i);
        System.arraycopy(cur, i + 1, next, i, cur.length - i - 1);
        members = next;
        break;
      }
    }
    return members.length == 0;
  }

  /** The known position, or {@code null} when the epoch is not known yet. */
  synchronized StreamPosition position() {
    return epoch == null ? null : new StreamPosition(epoch, lastDelivered);
  }

  /**
   * Sends a live-only notice to every member but {@code except}: the seed's text frame, or the
   * presence diff to members that asked for diffs.
   */
  synchronized void broadcastNotice(OutboundFrame text, OutboundFrame diff, Member except) {
    for (Member m : members) {
      if (m != except) {
        m.deliver(m.wantsPresenceDiffs() ? diff : text);
      }
    }
  }

  /** Delivers a room message in order; see the class comment. */
  synchronized void offer(RoomMessage m) {
    offer(m, null);
  }

  /**
   * Delivers a room message in order to every member but {@code except} (a local member, e.g. the
   * sender of a broadcast that should not echo back to it).
   */
  synchronized void offer(RoomMessage m, Member except) {
    if (epoch == null || !epoch.equals(m.epoch())) {
      // First message of a room whose position was unknown, or the history was reset (new epoch):
      // start counting from this message. Members see the new epoch in the frames.
      if (epoch != null) {
        early.clear();
      }
      epoch = m.epoch();
      lastDelivered = m.offset() - 1;
    }
    long off = m.offset();
    if (off <= lastDelivered) {
      return;
    }
    if (off > lastDelivered + 1) {
      early.put(off, new Early(m, except));
      if (early.size() > engine.maxEarlyMessages()) {
        skipGap();
      } else if (gapTimer == null) {
        gapTimer = engine.scheduleGapFill(this);
      }
      return;
    }
    deliver(m, except);
    drainEarly();
  }

  /** Gives up on the missing offsets before the first early message. Caller holds the lock. */
  synchronized void skipGap() {
    if (early.isEmpty()) {
      return;
    }
    long first = early.firstKey();
    engine.counters().gapsSkipped.add(first - lastDelivered - 1);
    lastDelivered = first - 1;
    drainEarly();
  }

  private void drainEarly() {
    Map.Entry<Long, Early> e;
    while ((e = early.firstEntry()) != null && e.getKey() <= lastDelivered + 1) {
      early.pollFirstEntry();
      if (e.getKey() == lastDelivered + 1) {
        deliver(e.getValue().message(), e.getValue().except());
      }
    }
    if (early.isEmpty() && gapTimer != null) {
      gapTimer.cancel(false);
      gapTimer = null;
    }
  }

  boolean hasGap() {
    return !early.isEmpty();
  }

  private void deliver(RoomMessage m, Member except) {
    lastDelivered = m.offset();
    Member[] snapshot = members;
    if (snapshot.length == 0) {
      return;
    }
    OutboundFrame frame = engine.codec().message(m);
    for (Member member : snapshot) {
      if (member != except) {
        member.deliver(frame);
      }
    }
  }
}
