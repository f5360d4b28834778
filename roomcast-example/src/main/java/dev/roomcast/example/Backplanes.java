package dev.roomcast.example;

import dev.roomcast.InMemoryBackplane;
import dev.roomcast.redis.RedisBackplane;
import dev.roomcast.spi.Backplane;

/**
 * BACKPLANE SELECTION: the one place where the example server picks its backplane from
 * configuration. Nothing else in the server knows which backplane runs.
 *
 * <ul>
 *   <li>{@code REDIS_URL} unset: the in-memory backplane (one instance).
 *   <li>{@code REDIS_URL} set: the Redis backplane from {@code roomcast-redis}, so several
 *       instances share rooms. A Redis that is down at startup is not fatal: the server starts,
 *       reports not ready on {@code /ready}, and connects when Redis comes up.
 *   <li>{@code REDIS_CLUSTER_NODES} or {@code REDIS_SHARDS} set: the same backplane on a Redis
 *       Cluster or over several independent servers ({@link RedisTopology}).
 * </ul>
 */
final class Backplanes {
  private Backplanes() {}

  /**
   * The backplane the configuration asks for.
   *
   * @throws ConfigException when {@code REDIS_URL} is not a usable Redis URL
   */
  static Backplane create(ServerConfig config) {
    var topology = config.redisTopology().builder();
    if (topology.isPresent()) {
      return topology.get().build();
    }
    if (config.redisUrl().isPresent()) {
      try {
        return RedisBackplane.builder().uri(config.redisUrl().get()).build();
      } catch (IllegalArgumentException e) {
        throw new ConfigException("REDIS_URL", "is not usable: " + e.getMessage());
      }
    }
    MemoryConfig memory = config.memory();
    return InMemoryBackplane.builder()
        .historySize(memory.historySize())
        .historyBytesPerRoom(memory.historyRoomBytes())
        .historyBytesTotal(memory.historyTotalBytes())
        .build();
  }
}
