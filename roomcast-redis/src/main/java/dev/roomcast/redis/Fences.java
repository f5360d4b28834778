package dev.roomcast.redis;

import dev.roomcast.StreamPosition;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.logging.Logger;
import redis.clients.jedis.CommandArguments;
import redis.clients.jedis.Protocol;

/**
 * The rollback fence: the highest message this node saw per live room, and the checks that run
 * after every reconnect (and when a Cluster room moves to another node), before this node publishes
 * into the room again. A room whose Redis head is behind what was seen, in the same epoch, or whose
 * entry at that offset is another message, lost its tail (an older snapshot, a replica that had not
 * received it) and may have reused offsets; that would make clients drop new messages as duplicates
 * and resumes claim history that is gone, so {@code fence.lua} starts a new epoch for it.
 *
 * <p>Thread-safe: positions are noted by the subscriber thread (live traffic) and the command
 * thread (own publishes); checks are built by the subscriber thread and run on the command thread.
 */
final class Fences {
  private static final Logger LOG = Logger.getLogger("dev.roomcast.redis");

  private final Wire wire;
  private final long ttlSeconds;
  private final Epochs epochs;
  private final Predicate<String> live;
  private final ConcurrentHashMap<String, Seen> seen = new ConcurrentHashMap<>();

  /**
   * The highest message seen in a room: its position, and its header and content, which the check
   * compares with what Redis now holds at that offset (references to strings the message already
   * has; one message per live room).
   */
  private record Seen(StreamPosition position, String header, String content) {}

  /**
   * @param live whether a room is live on this node; only live rooms are remembered, so a node that
   *     publishes into many rooms it has no member in holds nothing for them
   */
  Fences(Wire wire, long ttlSeconds, Epochs epochs, Predicate<String> live) {
    this.wire = wire;
    this.ttlSeconds = ttlSeconds;
    this.epochs = epochs;
    this.live = live;
  }

  /** Remembers a message of a live room if it is the highest seen in its epoch. */
  void noteSeen(String room, String epoch, long offset, String header, String content) {
    if (!live.test(room)) {
      return;
    }
    seen.compute(
        room,
        (r, old) ->
            old == null || !old.position().epoch().equals(epoch) || old.position().offset() < offset
                ? new Seen(new StreamPosition(epoch, offset), header, content)
                : old);
  }

  /** The room is no longer live here: nothing to check for it. */
  void forget(String room) {
    seen.remove(room);
  }

  /** What was seen in a room, or {@code null}. */
  StreamPosition seen(String room) {
    Seen s = seen.get(room);
    return s == null ? null : s.position();
  }

  /** One check per live room this node saw traffic in. */
  List<CommandChannel.Op> checks(Set<String> liveRooms) {
    List<CommandChannel.Op> out = new ArrayList<>();
    for (Map.Entry<String, Seen> e : seen.entrySet()) {
      if (liveRooms.contains(e.getKey())) {
        out.add(new Check(e.getKey(), e.getValue(), epochs.next()));
      }
    }
    return out;
  }

  /** One room's fence check: {@code fence.lua} replies 1 when it started a new epoch. */
  private final class Check extends CommandChannel.Op {
    final String room;
    final Seen seenThen;
    final String newEpoch;

    Check(String room, Seen seenThen, String newEpoch) {
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
          .add(seenThen.position().epoch())
          .add(seenThen.position().offset())
          .add(newEpoch)
          .add(ttlSeconds)
          .add(seenThen.header())
          .add(seenThen.content());
    }

    @Override
    void complete(Object reply) {
      if (!Long.valueOf(1).equals(reply)) {
        return;
      }
      LOG.warning(
          "Redis lost recent history of room "
              + room
              + " (offset "
              + seenThen.position().offset()
              + " of epoch "
              + seenThen.position().epoch()
              + " is gone or holds another message); started epoch "
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
