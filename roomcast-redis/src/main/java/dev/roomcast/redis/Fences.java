package dev.roomcast.redis;

import dev.roomcast.StreamPosition;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;
import redis.clients.jedis.CommandArguments;
import redis.clients.jedis.Protocol;

/**
 * The rollback fence: the highest position this node saw per live room, and the checks that run
 * after every reconnect, before anything is published. A room whose Redis head is behind what was
 * seen, in the same epoch, lost its tail (an older snapshot, a replica that lagged); reusing those
 * offsets for different messages would make clients drop the new ones as duplicates, so {@code
 * fence.lua} starts a new epoch for it.
 *
 * <p>Thread-safe: positions are noted by the subscriber thread (live traffic) and the command
 * thread (own publishes); checks are built by the subscriber thread and run on the command thread.
 */
final class Fences {
  private static final Logger LOG = Logger.getLogger("dev.roomcast.redis");

  private final Wire wire;
  private final long ttlSeconds;
  private final Epochs epochs;
  private final ConcurrentHashMap<String, StreamPosition> seen = new ConcurrentHashMap<>();

  Fences(Wire wire, long ttlSeconds, Epochs epochs) {
    this.wire = wire;
    this.ttlSeconds = ttlSeconds;
    this.epochs = epochs;
  }

  /** Remembers a position of a live room if it is the highest seen in its epoch. */
  void noteSeen(String room, String epoch, long offset) {
    seen.compute(
        room,
        (r, old) ->
            old == null || !old.epoch().equals(epoch) || old.offset() < offset
                ? new StreamPosition(epoch, offset)
                : old);
  }

  /** The room is no longer live here: nothing to check for it. */
  void forget(String room) {
    seen.remove(room);
  }

  /** What was seen in a room, or {@code null}. */
  StreamPosition seen(String room) {
    return seen.get(room);
  }

  /** One check per live room this node saw traffic in. */
  List<CommandChannel.Op> checks(Set<String> liveRooms) {
    List<CommandChannel.Op> out = new ArrayList<>();
    for (Map.Entry<String, StreamPosition> e : seen.entrySet()) {
      if (liveRooms.contains(e.getKey())) {
        out.add(new Check(e.getKey(), e.getValue(), epochs.next()));
      }
    }
    return out;
  }

  /** One room's fence check: {@code fence.lua} replies 1 when it started a new epoch. */
  private final class Check extends CommandChannel.Op {
    final String room;
    final StreamPosition seenThen;
    final String newEpoch;

    Check(String room, StreamPosition seenThen, String newEpoch) {
      this.room = room;
      this.seenThen = seenThen;
      this.newEpoch = newEpoch;
    }

    @Override
    CommandArguments command() {
      return new CommandArguments(Protocol.Command.EVALSHA)
          .add(Script.FENCE.sha1)
          .add(2)
          .add(wire.metaKey(room))
          .add(wire.logKey(room))
          .add(seenThen.epoch())
          .add(seenThen.offset())
          .add(newEpoch)
          .add(ttlSeconds);
    }

    @Override
    void complete(Object reply) {
      if (!Long.valueOf(1).equals(reply)) {
        return;
      }
      LOG.warning(
          "Redis lost recent history of room "
              + room
              + " (head behind offset "
              + seenThen.offset()
              + " of epoch "
              + seenThen.epoch()
              + "); started epoch "
              + newEpoch
              + " so offsets are not reused");
      seen.remove(room);
    }

    @Override
    void failQuietly(Throwable error) {}

    @Override
    public String toString() {
      return "fence check of " + room;
    }
  }
}
