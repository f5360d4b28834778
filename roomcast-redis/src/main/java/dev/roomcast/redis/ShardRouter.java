package dev.roomcast.redis;

import java.nio.charset.StandardCharsets;

/**
 * Which of N independent Redis servers holds a room: jump consistent hashing (Lamping and Veach,
 * 2014) of a 64-bit hash of the room name. A room's keys and channel all live on its shard.
 *
 * <p>Why jump hash: no table to keep, even spread, and when N grows to N+1 only about 1/(N+1) of
 * the rooms move (all of them to the new shard); with plain {@code hash % N} almost every room
 * would move. The room hash is FNV-1a over the name's UTF-8 bytes followed by the splitmix64
 * finalizer; both are fixed forever, because changing them would move rooms just as changing N
 * does.
 *
 * <p>Immutable and thread-safe.
 */
final class ShardRouter {
  private final int shards;

  ShardRouter(int shards) {
    if (shards < 1) {
      throw new IllegalArgumentException("at least one shard, was " + shards);
    }
    this.shards = shards;
  }

  int shards() {
    return shards;
  }

  /** The shard (0 to N-1) of a room. */
  int shardOf(String room) {
    return jump(hash(room), shards);
  }

  /** Jump consistent hash: the bucket in [0, buckets) of a key. */
  static int jump(long key, int buckets) {
    long b = -1;
    long j = 0;
    while (j < buckets) {
      b = j;
      key = key * 2862933555777941757L + 1;
      j = (long) ((b + 1) * ((double) (1L << 31) / (double) ((key >>> 33) + 1)));
    }
    return (int) b;
  }

  /** FNV-1a 64 of the UTF-8 bytes, then splitmix64's finalizer so every bit of the name counts. */
  static long hash(String room) {
    long h = 0xcbf29ce484222325L;
    for (byte b : room.getBytes(StandardCharsets.UTF_8)) {
      h ^= b & 0xff;
      h *= 0x100000001b3L;
    }
    h = (h ^ (h >>> 30)) * 0xbf58476d1ce4e5b9L;
    h = (h ^ (h >>> 27)) * 0x94d049bb133111ebL;
    return h ^ (h >>> 31);
  }
}
