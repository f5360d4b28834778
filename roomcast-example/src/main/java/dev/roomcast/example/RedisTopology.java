package dev.roomcast.example;

import dev.roomcast.redis.RedisBackplane;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Which Redis topology the backplane uses, from the environment, besides the single endpoint of
 * {@code REDIS_URL}:
 *
 * <ul>
 *   <li>{@code REDIS_CLUSTER_NODES=host:port,host:port,...}: seed nodes of a Redis Cluster (7+); an
 *       entry may also be a {@code redis://} or {@code rediss://} URL, whose credentials and TLS
 *       then apply to every node;
 *   <li>{@code REDIS_SHARDS=redis://host:port,redis://host:port,...}: independent servers, rooms
 *       spread over them by consistent hashing; the list order is the shard order and must be the
 *       same on every instance; credentials and TLS in each URL, as in {@code REDIS_URL}.
 * </ul>
 *
 * At most one of the three variables may be set. Immutable.
 */
record RedisTopology(List<String> clusterNodes, List<String> shards) {
  static final String CLUSTER_NODES = "REDIS_CLUSTER_NODES";
  static final String SHARDS = "REDIS_SHARDS";

  RedisTopology {
    clusterNodes = List.copyOf(clusterNodes);
    shards = List.copyOf(shards);
  }

  /**
   * Reads {@code REDIS_CLUSTER_NODES} and {@code REDIS_SHARDS}.
   *
   * @throws ConfigException when more than one topology is set, or a list has an empty entry
   */
  static RedisTopology fromEnv(Map<String, String> env, Optional<String> redisUrl) {
    List<String> cluster = list(env, CLUSTER_NODES);
    List<String> shards = list(env, SHARDS);
    int set =
        (redisUrl.isPresent() ? 1 : 0) + (cluster.isEmpty() ? 0 : 1) + (shards.isEmpty() ? 0 : 1);
    if (set > 1) {
      throw new ConfigException(
          cluster.isEmpty() ? SHARDS : CLUSTER_NODES,
          "set only one of REDIS_URL, REDIS_CLUSTER_NODES and REDIS_SHARDS");
    }
    return new RedisTopology(cluster, shards);
  }

  /** The Redis backplane builder for a cluster or shards, if one is set. */
  Optional<RedisBackplane.Builder> builder() {
    try {
      if (!clusterNodes.isEmpty()) {
        return Optional.of(RedisBackplane.builder().cluster(clusterNodes));
      }
      if (!shards.isEmpty()) {
        return Optional.of(RedisBackplane.builder().shards(shards));
      }
      return Optional.empty();
    } catch (IllegalArgumentException e) {
      throw new ConfigException(
          clusterNodes.isEmpty() ? SHARDS : CLUSTER_NODES, "is not usable: " + e.getMessage());
    }
  }

  private static List<String> list(Map<String, String> env, String name) {
    String v = env.get(name);
    if (v == null || v.isBlank()) {
      return List.of();
    }
    List<String> out = new ArrayList<>();
    for (String part : v.split(",", -1)) {
      String p = part.trim();
      if (p.isEmpty()) {
        throw new ConfigException(name, "has an empty entry (a stray comma?)");
      }
      out.add(p);
    }
    return out;
  }
}
