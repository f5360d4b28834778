package dev.roomcast.redis;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.exceptions.JedisRedirectionException;

/**
 * Sharded pub/sub (Redis 7: {@code SSUBSCRIBE}, {@code SUNSUBSCRIBE}, {@code smessage}) read
 * directly off the connection, for the Cluster mode.
 *
 * <p>Why not Jedis' {@code JedisShardedPubSub}: it has no PING (a keep-alive answer would end its
 * loop with "unknown message type"), it sends all channels in one SSUBSCRIBE (Redis refuses
 * channels of several slots with CROSSSLOT), and it stops reading when the last channel is gone.
 * Here each channel gets its own SSUBSCRIBE, the connection stays read with no channel at all (it
 * then answers PING with a plain {@code PONG}), and a SUNSUBSCRIBE the server sends by itself (its
 * slot moved to another node) is reported as such.
 *
 * <p>Threads: {@link #read} on the subscriber thread only; the writes from any one thread at a time
 * (they synchronize on this object).
 */
final class ShardedLine {
  /** What arrives. Called on the reading thread. */
  interface Events {
    void subscribed(String channel);

    void message(String channel, String payload);

    void pong();

    /** The server unsubscribed a channel by itself: its slot now belongs to another node. */
    void movedAway(String channel);

    /** A SSUBSCRIBE was answered with MOVED/ASK: this node does not own that slot (any more). */
    void redirected(JedisRedirectionException e);
  }

  private final PubSubConnection conn;
  private final Events events;
  private final Set<String> unsubscribing = ConcurrentHashMap.newKeySet();

  ShardedLine(PubSubConnection conn, Events events) {
    this.conn = conn;
    this.events = events;
  }

  synchronized void subscribe(String... channels) {
    for (String ch : channels) {
      unsubscribing.remove(ch);
      conn.sendCommand(Protocol.Command.SSUBSCRIBE, ch); // one each: channels differ in slot
    }
    conn.flushNow();
  }

  synchronized void unsubscribe(String... channels) {
    for (String ch : channels) {
      unsubscribing.add(ch);
      conn.sendCommand(Protocol.Command.SUNSUBSCRIBE, ch);
    }
    conn.flushNow();
  }

  synchronized void ping() {
    conn.sendCommand(Protocol.Command.PING);
    conn.flushNow();
  }

  /** Reads until the connection fails (then throws) or is closed. Subscriber thread. */
  void read() {
    while (true) {
      Object reply;
      try {
        reply = conn.getUnflushedObject();
      } catch (JedisRedirectionException e) {
        events.redirected(e);
        continue;
      }
      // any other error (CLUSTERDOWN: the Cluster is not serving yet) fails the connection, so
      // a subscription is never counted as made when it was refused
      if (reply instanceof byte[]) { // PONG outside subscribed mode (no channel left)
        events.pong();
        continue;
      }
      if (!(reply instanceof List)) {
        throw new IllegalStateException("unexpected reply on the subscriber connection: " + reply);
      }
      List<?> r = (List<?>) reply;
      String kind = Wire.text(r.get(0));
      switch (kind) {
        case "smessage" -> events.message(Wire.text(r.get(1)), Wire.text(r.get(2)));
        case "ssubscribe" -> events.subscribed(Wire.text(r.get(1)));
        case "sunsubscribe" -> {
          String ch = Wire.text(r.get(1));
          if (!unsubscribing.remove(ch)) {
            events.movedAway(ch);
          }
        }
        case "pong" -> events.pong();
        default -> throw new IllegalStateException("unexpected push on the subscriber: " + kind);
      }
    }
  }
}
