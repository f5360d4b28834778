package dev.roomcast.redis;

import redis.clients.jedis.Connection;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisClientConfig;

/**
 * A Jedis connection whose buffered writes another thread may flush: the subscriber connection,
 * read by the subscriber thread while the control thread writes (S)SUBSCRIBE, (S)UNSUBSCRIBE and
 * PING to it. Jedis' own {@code JedisPubSub} does the same from inside its package; {@code
 * JedisShardedPubSub} cannot PING at all, which is why the sharded mode reads the connection itself
 * ({@link ShardedLine}).
 *
 * <p>Writes must come from one thread at a time (the callers synchronize); reads from one other.
 */
final class PubSubConnection extends Connection {
  PubSubConnection(HostAndPort address, JedisClientConfig config) {
    super(address, config);
  }

  /** Sends what was written. */
  void flushNow() {
    flush();
  }
}
