package dev.roomcast.redis;

import dev.roomcast.BackplaneUnavailableException;
import dev.roomcast.PresenceMember;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import redis.clients.jedis.CommandArguments;
import redis.clients.jedis.Protocol;

/**
 * One node's share of room presence in Redis, kept under a lease so that a node that dies without a
 * goodbye (kill -9, a lost VM) drops out of every other node's presence within {@link
 * #LEASE_MILLIS}.
 *
 * <p>Keys, next to the room's others (same hash tag, so same slot on a Cluster): {@code
 * <channel>:presence}, a sorted set of node ids scored by their lease's end (Redis time, so node
 * clocks don't matter), and {@code <channel>:presence:<nodeId>}, a hash of this node's members
 * (client id → escaped {@code user \n name \n joinedAtMillis}) expiring with the lease. Every
 * {@link #RENEW_MILLIS} the node rewrites its entries of every room it has members in, which also
 * puts them back after a Redis restart. A read drops expired nodes and merges the rest, one entry
 * per client id (the latest join wins, so a client that resumed on another node counts once).
 *
 * <p>Thread-safe: the local view is concurrent; commands go through the node's command channel.
 */
final class RedisPresence {
  static final long LEASE_MILLIS = 15_000;
  static final long RENEW_MILLIS = 5_000;
  private static final int PAIRS_PER_WRITE = 500;

  private static final String WRITE =
      "local t = redis.call('TIME')\n"
          + "local now = t[1] * 1000 + math.floor(t[2] / 1000)\n"
          + "if #ARGV > 2 then redis.call('HSET', KEYS[2], unpack(ARGV, 3)) end\n"
          + "if redis.call('EXISTS', KEYS[2]) == 1 then\n"
          + "  redis.call('PEXPIRE', KEYS[2], ARGV[2])\n"
          + "  redis.call('ZADD', KEYS[1], now + ARGV[2], ARGV[1])\n"
          + "  redis.call('PEXPIRE', KEYS[1], ARGV[2] * 2)\n"
          + "else\n"
          + "  redis.call('ZREM', KEYS[1], ARGV[1])\n"
          + "end\n"
          + "return 1\n";

  private static final String REMOVE =
      "redis.call('HDEL', KEYS[2], ARGV[2])\n"
          + "if redis.call('EXISTS', KEYS[2]) == 0 then redis.call('ZREM', KEYS[1], ARGV[1]) end\n"
          + "return 1\n";

  private static final String READ =
      "local t = redis.call('TIME')\n"
          + "local now = t[1] * 1000 + math.floor(t[2] / 1000)\n"
          + "redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)\n"
          + "local out = {}\n"
          + "for _, n in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do\n"
          + "  local h = redis.call('HGETALL', ARGV[1] .. n)\n"
          + "  for i = 1, #h do out[#out + 1] = h[i] end\n"
          + "end\n"
          + "return out\n";

  private final Wire wire;
  private final String nodeId;
  private final Function<CommandChannel.Op, BackplaneUnavailableException> submit;
  private final ConcurrentHashMap<String, ConcurrentHashMap<String, PresenceMember>> local =
      new ConcurrentHashMap<>();
  private final ScheduledThreadPoolExecutor renewer;

  /**
   * @param submit queues an op on the node's command channel, or says why it cannot
   */
  RedisPresence(
      Wire wire, String nodeId, Function<CommandChannel.Op, BackplaneUnavailableException> submit) {
    this.wire = wire;
    this.nodeId = nodeId;
    this.submit = submit;
    this.renewer =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread t = new Thread(r, "roomcast-redis-presence-" + nodeId);
              t.setDaemon(true);
              return t;
            });
    renewer.scheduleWithFixedDelay(
        this::renewAll, RENEW_MILLIS, RENEW_MILLIS, TimeUnit.MILLISECONDS);
  }

  private String setKey(String room) {
    return wire.channel(room) + ":presence";
  }

  private String hashPrefix(String room) {
    return wire.channel(room) + ":presence:";
  }

  void add(String room, PresenceMember m) {
    local.computeIfAbsent(room, r -> new ConcurrentHashMap<>()).put(m.clientId(), m);
    submit.apply(new Write(room, List.of(m)));
  }

  void remove(String room, String clientId) {
    local.computeIfPresent(
        room,
        (r, members) -> {
          members.remove(clientId);
          return members.isEmpty() ? null : members;
        });
    submit.apply(new Remove(room, clientId));
  }

  CompletionStage<List<PresenceMember>> read(String room) {
    Read op = new Read(room);
    BackplaneUnavailableException refused = submit.apply(op);
    return refused != null ? CompletableFuture.failedFuture(refused) : op.future;
  }

  /** Rewrites every local entry: renews the lease, and restores entries Redis lost. */
  void renewAll() {
    local.forEach(
        (room, members) -> {
          List<PresenceMember> all = new ArrayList<>(members.values());
          for (int i = 0; i < all.size(); i += PAIRS_PER_WRITE) {
            submit.apply(
                new Write(room, all.subList(i, Math.min(all.size(), i + PAIRS_PER_WRITE))));
          }
        });
  }

  void close() {
    renewer.shutdownNow();
  }

  static String encode(PresenceMember m) {
    return Wire.header(
        m.user() == null ? "" : m.user(),
        m.name() == null ? "" : m.name(),
        Long.toString(m.joinedAt().toEpochMilli()));
  }

  static PresenceMember decode(String clientId, String value) {
    String[] f = Wire.parseHeader(value);
    return new PresenceMember(
        clientId,
        f[0].isEmpty() ? null : f[0],
        f[1].isEmpty() ? null : f[1],
        Instant.ofEpochMilli(Long.parseLong(f[2])));
  }

  private abstract class RoomOp extends CommandChannel.Op {
    final String room;

    RoomOp(String room) {
      this.room = room;
    }

    @Override
    String room() {
      return room;
    }
  }

  private final class Write extends RoomOp {
    final List<PresenceMember> members;

    Write(String room, List<PresenceMember> members) {
      super(room);
      this.members = members;
    }

    @Override
    CommandArguments command() {
      CommandArguments a =
          new CommandArguments(Protocol.Command.EVAL)
              .add(WRITE)
              .add(2)
              .add(setKey(room))
              .add(hashPrefix(room) + nodeId)
              .add(nodeId)
              .add(LEASE_MILLIS);
      for (PresenceMember m : members) {
        a.add(m.clientId()).add(encode(m));
      }
      return a;
    }

    @Override
    void complete(Object reply) {}

    @Override
    void failQuietly(Throwable error) {}
  }

  private final class Remove extends RoomOp {
    final String clientId;

    Remove(String room, String clientId) {
      super(room);
      this.clientId = clientId;
    }

    @Override
    CommandArguments command() {
      return new CommandArguments(Protocol.Command.EVAL)
          .add(REMOVE)
          .add(2)
          .add(setKey(room))
          .add(hashPrefix(room) + nodeId)
          .add(nodeId)
          .add(clientId);
    }

    @Override
    void complete(Object reply) {}

    @Override
    void failQuietly(Throwable error) {}
  }

  private final class Read extends RoomOp {
    final CompletableFuture<List<PresenceMember>> future = new CompletableFuture<>();

    Read(String room) {
      super(room);
    }

    @Override
    CommandArguments command() {
      return new CommandArguments(Protocol.Command.EVAL)
          .add(READ)
          .add(1)
          .add(setKey(room))
          .add(hashPrefix(room));
    }

    @Override
    void complete(Object reply) {
      List<?> flat = (List<?>) reply;
      List<PresenceMember> entries = new ArrayList<>(flat.size() / 2);
      for (int i = 0; i + 1 < flat.size(); i += 2) {
        String id = text(flat.get(i));
        entries.add(decode(id, text(flat.get(i + 1))));
      }
      future.complete(PresenceMember.roster(entries));
    }

    @Override
    void failQuietly(Throwable error) {
      future.completeExceptionally(error);
    }
  }

  private static String text(Object o) {
    return o instanceof byte[] b
        ? new String(b, java.nio.charset.StandardCharsets.UTF_8)
        : String.valueOf(o);
  }
}
