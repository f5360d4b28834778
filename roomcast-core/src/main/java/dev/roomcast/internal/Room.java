package dev.roomcast.internal;

import dev.roomcast.StreamPosition;
import dev.roomcast.spi.OutboundFrame;
import dev.roomcast.spi.RoomMessage;
import dev.roomcast.spi.RoomNotice;
import java.util.Arrays;
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

  /** Delivery order; guarded by this. */
  private final RoomSequencer sequencer;

  /** The pending gap fill, while messages wait for a missing offset; guarded by this. */
  ScheduledFuture<?> gapTimer;

  Room(String name, HubEngine engine, StreamPosition position) {
    this.name = name;
    this.engine = engine;
    this.sequencer = new RoomSequencer(position, engine.maxEarlyMessages(), new Sequenced());
  }

  /** What the sequencer decides, carried out on this room's members and the hub's timers. */
  private final class Sequenced implements RoomSequencer.Sink {
    @Override
    public void deliver(RoomMessage m, Member except) {
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

    @Override
    public void gapOpened() {
      if (gapTimer == null) {
        gapTimer = engine.scheduleGapFill(Room.this);
      }
    }

    @Override
    public void gapClosed() {
      if (gapTimer != null) {
        gapTimer.cancel(false);
        gapTimer = null;
      }
    }

    @Override
    public void skipped(long count) {
      engine.counters().gapsSkipped.add(count);
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
    return sequencer.position();
  }

  /** The epoch delivered in, or {@code null} while unknown. Caller holds the lock. */
  String epoch() {
    return sequencer.epoch();
  }

  /** The last delivered offset. Caller holds the lock. */
  long lastDelivered() {
    return sequencer.lastDelivered();
  }

  /** Moves the sequencer to a position (known at last, or history lost). Caller holds the lock. */
  void moveTo(String epoch, long offset) {
    sequencer.moveTo(epoch, offset);
  }

  /**
   * Sends a live-only notice to every member but {@code except}: the seed's text frame, or the
   * presence diff to members that asked for diffs.
   */
  synchronized void broadcastNotice(RoomNotice notice, Member except) {
    // each form encoded once, and only if some member takes it
    OutboundFrame text = null;
    OutboundFrame diff = null;
    for (Member m : members) {
      if (m == except) {
        continue;
      }
      if (m.wantsPresenceDiffs()) {
        if (diff == null) {
          diff = engine.codec().presenceDiff(notice);
        }
        m.deliver(diff);
      } else {
        if (text == null) {
          text = engine.codec().notice(notice);
        }
        m.deliver(text);
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
    sequencer.offer(m, except);
  }

  /** Gives up on the missing offsets before the first early message. Caller holds the lock. */
  synchronized void skipGap() {
    sequencer.skipGap();
  }

  boolean hasGap() {
    return sequencer.hasGap();
  }
}
