package dev.roomcast.redis;

import dev.roomcast.BackoffPolicy;
import dev.roomcast.spi.Backplane;
import dev.roomcast.spi.BackplaneListener;
import dev.roomcast.spi.BackplaneNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A {@link Backplane} over Redis, so several roomcast instances share rooms: Redis pub/sub carries
 * live traffic (one channel per room, subscribed only while an instance has members there), and a
 * Redis stream per room keeps history for resume. A Lua script assigns each message its offset,
 * appends it to the stream and publishes it in one atomic step, so every instance agrees on
 * offsets. See {@code docs/redis.md} for the design and its guarantees.
 *
 * <pre>{@code
 * Backplane redis = RedisBackplane.fromUrl("redis://:secret@redis.internal:6379/0");
 * Hub hub = Hub.builder().backplane(redis).build();
 * }</pre>
 *
 * <p>Three topologies, one API: a single endpoint ({@link Builder#uri}, the default), rooms sharded
 * over several independent servers ({@link Builder#shards}), or a Redis Cluster with sharded
 * pub/sub ({@link Builder#cluster}). In every one a room lives on exactly one Redis, so the
 * per-room guarantees are the same.
 *
 * <p>Each {@link #attach} (one per hub) opens, per Redis server it uses, two connections: one for
 * commands (publishes are pipelined on it by a single writer thread) and one subscriber connection
 * with its own reader thread; a third small thread sends subscription changes, keep-alive pings and
 * delivery probes. The Cluster mode adds a thread that follows the slot map. When Redis fails the
 * node reports {@link BackplaneListener#onLost}, publishes fail fast with {@link
 * dev.roomcast.BackplaneUnavailableException}, it reconnects following the {@link BackoffPolicy},
 * resubscribes every live room, and reports {@link BackplaneListener#onRestored}.
 *
 * <p>Immutable and thread-safe; configuration is checked when it is set, with messages that say
 * what is wrong (and never print a password).
 */
public final class RedisBackplane implements Backplane {
  /** The default key prefix. */
  public static final String DEFAULT_KEY_PREFIX = "roomcast:";

  final RedisConfig config;

  private RedisBackplane(RedisConfig config) {
    this.config = config;
  }

  /**
   * A backplane with the defaults and the Redis at {@code url}.
   *
   * @param url {@code redis://[[user]:password@]host[:port][/database]}, or {@code rediss://...}
   *     for TLS
   * @throws IllegalArgumentException when the URL is not of that form
   */
  public static RedisBackplane fromUrl(String url) {
    return builder().uri(url).build();
  }

  /** A builder; {@link Builder#uri} is required. */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public BackplaneNode attach(String nodeId, BackplaneListener listener) {
    Objects.requireNonNull(nodeId, "nodeId");
    Objects.requireNonNull(listener, "listener");
    if (nodeId.isEmpty() || nodeId.length() > 64 || !nodeId.matches("[A-Za-z0-9_.-]+")) {
      throw new IllegalArgumentException(
          "nodeId must be 1-64 characters of A-Z a-z 0-9 _ . -, was \"" + nodeId + "\"");
    }
    if (!config.shards.isEmpty()) {
      return ShardedNode.start(config, nodeId, listener);
    }
    if (!config.clusterSeeds.isEmpty()) {
      return ClusterNode.start(config, nodeId, listener);
    }
    return RedisNode.start(config, nodeId, listener);
  }

  @Override
  public String name() {
    return "redis";
  }

  /** The key prefix (default {@value #DEFAULT_KEY_PREFIX}). */
  public String keyPrefix() {
    return config.keyPrefix;
  }

  /** The pub/sub channel that carries a room's live traffic. */
  public String channelOf(String room) {
    return new Wire(config.keyPrefix).channel(room);
  }

  /** The stream key that holds a room's history. */
  public String streamKeyOf(String room) {
    return new Wire(config.keyPrefix).logKey(room);
  }

  /** The hash key that holds a room's epoch and last offset. */
  public String metaKeyOf(String room) {
    return new Wire(config.keyPrefix).metaKey(room);
  }

  /** Messages kept per room stream (approximately: Redis trims whole stream nodes). */
  public int historyLength() {
    return config.historyLength;
  }

  /** How long an idle room's history and epoch are kept after its last message. */
  public Duration historyTtl() {
    return config.historyTtl;
  }

  /**
   * Which shard (0 to N-1, in the order the shards were given) holds a room in the sharded mode; 0
   * in the other modes. Stable for a given N; see {@code docs/redis.md} for what changing N does.
   */
  public int shardOf(String room) {
    return config.shards.isEmpty() ? 0 : new ShardRouter(config.shards.size()).shardOf(room);
  }

  @Override
  public String toString() {
    return "RedisBackplane{"
        + (!config.shards.isEmpty()
            ? "shards=" + config.shards
            : !config.clusterSeeds.isEmpty() ? "cluster=" + config.clusterSeeds : config.endpoint)
        + ", prefix="
        + config.keyPrefix
        + ", historyLength="
        + config.historyLength
        + ", historyTtl="
        + config.historyTtl
        + "}";
  }

  /** Builds a {@link RedisBackplane}. Every setter checks its argument at once. Not thread-safe. */
  public static final class Builder {
    private RedisEndpoint endpoint;
    private List<RedisEndpoint> shards = List.of();
    private List<RedisEndpoint> clusterSeeds = List.of();
    private String keyPrefix = DEFAULT_KEY_PREFIX;
    private int historyLength = 1000;
    private Duration historyTtl = Duration.ofHours(24);
    private Duration pingInterval = Duration.ofSeconds(3);
    private Duration connectTimeout = Duration.ofSeconds(2);
    private Duration socketTimeout = Duration.ofSeconds(2);
    private BackoffPolicy backoff =
        BackoffPolicy.builder()
            .initialDelay(Duration.ofMillis(250))
            .maxDelay(Duration.ofSeconds(5))
            .build();
    private int maxQueuedCommands = 10_000;
    private int maxBatch = 256;
    private int deliveryProbeMisses = 3;
    private Path tlsTrustStore;
    private char[] tlsTrustStorePassword;
    private Path tlsKeyStore;
    private char[] tlsKeyStorePassword;
    private boolean tlsVerifyHostname = true;

    private Builder() {}

    /**
     * Where Redis is: {@code redis://[[user]:password@]host[:port][/database]}, or {@code
     * rediss://} for TLS. Port defaults to 6379, database to 0. Required.
     */
    public Builder uri(String url) {
      this.endpoint = RedisEndpoint.parse(url);
      return this;
    }

    /**
     * Shards the rooms over several independent Redis servers (no Cluster needed): each room, with
     * its keys and channel, lives on one of them, chosen by consistent hashing of its name. The
     * order of the URLs is the shard order and must be the same on every instance; adding or
     * removing a server moves rooms (see {@code docs/redis.md}). Each URL as in {@link #uri}; TLS
     * settings apply to every shard. Instead of {@link #uri}.
     */
    public Builder shards(List<String> urls) {
      Objects.requireNonNull(urls, "shards");
      if (urls.isEmpty()) {
        throw new IllegalArgumentException("shards needs at least one Redis URL");
      }
      List<RedisEndpoint> parsed = new ArrayList<>(urls.size());
      for (String url : urls) {
        RedisEndpoint e = RedisEndpoint.parse(url);
        for (RedisEndpoint other : parsed) {
          if (other.host.equals(e.host) && other.port == e.port && other.database == e.database) {
            throw new IllegalArgumentException("shard listed twice: " + e);
          }
        }
        parsed.add(e);
      }
      this.shards = List.copyOf(parsed);
      return this;
    }

    /** {@link #shards(List)} with the URLs as arguments. */
    public Builder shards(String... urls) {
      return shards(List.of(urls));
    }

    /**
     * Uses a Redis Cluster (Redis 7 or newer), found through these seed nodes: {@code host:port} or
     * a URL as in {@link #uri} (whose credentials and TLS then apply to every node; a database
     * other than 0 is refused, Cluster has only one). Live traffic goes over sharded pub/sub
     * ({@code SSUBSCRIBE}/{@code SPUBLISH}); each room is served by the primary owning its slot.
     * Instead of {@link #uri} and {@link #shards}.
     */
    public Builder cluster(List<String> seeds) {
      Objects.requireNonNull(seeds, "cluster");
      if (seeds.isEmpty()) {
        throw new IllegalArgumentException("cluster needs at least one seed node");
      }
      List<RedisEndpoint> parsed = new ArrayList<>(seeds.size());
      for (String seed : seeds) {
        String s = seed.trim();
        RedisEndpoint e = RedisEndpoint.parse(s.contains("://") ? s : "redis://" + s);
        if (e.database != 0) {
          throw new IllegalArgumentException("Redis Cluster has only database 0, seed was " + e);
        }
        parsed.add(e);
      }
      this.clusterSeeds = List.copyOf(parsed);
      return this;
    }

    /** {@link #cluster(List)} with the seeds as arguments. */
    public Builder cluster(String... seeds) {
      return cluster(List.of(seeds));
    }

    /** Prefix of every key and channel; default {@value #DEFAULT_KEY_PREFIX}. */
    public Builder keyPrefix(String keyPrefix) {
      Objects.requireNonNull(keyPrefix, "keyPrefix");
      if (keyPrefix.length() > 64 || !keyPrefix.matches("[A-Za-z0-9_:.\\-/@]*")) {
        throw new IllegalArgumentException(
            "keyPrefix must be at most 64 characters of A-Z a-z 0-9 _ : . - / @, was \""
                + keyPrefix
                + "\"");
      }
      this.keyPrefix = keyPrefix;
      return this;
    }

    /**
     * Messages of history kept per room for resume (default 1000). Redis trims streams
     * approximately, so a little more may be kept, never less.
     */
    public Builder historyLength(int historyLength) {
      if (historyLength < 1 || historyLength > 10_000_000) {
        throw new IllegalArgumentException(
            "historyLength must be between 1 and 10000000, was " + historyLength);
      }
      this.historyLength = historyLength;
      return this;
    }

    /**
     * How long a room's history (and epoch) outlives its last message (default 24 hours; whole
     * seconds, at least 1 s). When it expires, the room starts a new epoch.
     */
    public Builder historyTtl(Duration historyTtl) {
      Objects.requireNonNull(historyTtl, "historyTtl");
      if (historyTtl.compareTo(Duration.ofSeconds(1)) < 0) {
        throw new IllegalArgumentException(
            "historyTtl must be at least 1 second, was " + historyTtl);
      }
      this.historyTtl = historyTtl;
      return this;
    }

    /**
     * How often the subscriber connection is checked with a PING (default 3 s). A PING not answered
     * within {@link #socketTimeout} counts as a lost connection, which catches half-open
     * connections that TCP alone would not report for minutes.
     */
    public Builder pingInterval(Duration pingInterval) {
      this.pingInterval = checkMillis("pingInterval", pingInterval, 10, 3_600_000);
      return this;
    }

    /** Timeout for opening a connection (default 2 s). */
    public Builder connectTimeout(Duration connectTimeout) {
      this.connectTimeout = checkMillis("connectTimeout", connectTimeout, 10, 600_000);
      return this;
    }

    /**
     * Timeout for a reply from Redis (default 2 s): commands that take longer fail and the
     * connection is treated as lost; also the deadline for a PING on the subscriber connection.
     */
    public Builder socketTimeout(Duration socketTimeout) {
      this.socketTimeout = checkMillis("socketTimeout", socketTimeout, 10, 600_000);
      return this;
    }

    /**
     * How many delivery probes in a row must go missing before the backplane reports Redis lost
     * (default 3, at least 1). Every {@link #pingInterval} each subscriber connection publishes a
     * probe to itself through its command connection; a probe is missing when Redis accepted it and
     * it has not arrived within {@link #socketTimeout}. So a subscriber connection that stays open
     * but stops delivering is noticed within about {@code (misses - 1) × pingInterval +
     * socketTimeout}, and a probe that is merely late on a loaded machine, or whose publish Redis
     * has not answered yet, is no outage.
     */
    public Builder deliveryProbeMisses(int misses) {
      if (misses < 1 || misses > 1000) {
        throw new IllegalArgumentException(
            "deliveryProbeMisses must be between 1 and 1000, was " + misses);
      }
      this.deliveryProbeMisses = misses;
      return this;
    }

    /**
     * Delays between reconnect attempts (default 250 ms doubling to 5 s, full jitter, never give
     * up). A policy with {@code maxAttempts} gives up for good after that many failed attempts.
     */
    public Builder backoff(BackoffPolicy backoff) {
      this.backoff = Objects.requireNonNull(backoff, "backoff");
      return this;
    }

    /**
     * Most commands (publishes, history reads) waiting for Redis per node (default 10000); past
     * that, publishes fail at once instead of queueing without bound.
     */
    public Builder maxQueuedCommands(int maxQueuedCommands) {
      if (maxQueuedCommands < 1) {
        throw new IllegalArgumentException(
            "maxQueuedCommands must be >= 1, was " + maxQueuedCommands);
      }
      this.maxQueuedCommands = maxQueuedCommands;
      return this;
    }

    /** Most commands written as one pipeline (default 256); 1 turns pipelining off (benchmarks). */
    Builder maxBatch(int maxBatch) {
      if (maxBatch < 1) {
        throw new IllegalArgumentException("maxBatch must be >= 1, was " + maxBatch);
      }
      this.maxBatch = maxBatch;
      return this;
    }

    /**
     * For {@code rediss://}: trust the certificates in this key store file (PKCS12 or JKS) instead
     * of the JVM's default trust store, e.g. a private CA.
     *
     * @param password the store's password, or {@code null} for none
     */
    public Builder tlsTrustStore(Path file, char[] password) {
      this.tlsTrustStore = readable("tlsTrustStore", file);
      this.tlsTrustStorePassword = password == null ? null : password.clone();
      return this;
    }

    /**
     * For {@code rediss://} with client certificates (mutual TLS): the key store file (PKCS12 or
     * JKS) holding this client's key and certificate.
     */
    public Builder tlsKeyStore(Path file, char[] password) {
      this.tlsKeyStore = readable("tlsKeyStore", file);
      this.tlsKeyStorePassword = password == null ? null : password.clone();
      return this;
    }

    /**
     * For {@code rediss://}: check that the server certificate names the host in the URI (default
     * true). Turn off only for servers whose certificates carry no usable name (the chain is still
     * checked).
     */
    public Builder tlsVerifyHostname(boolean verify) {
      this.tlsVerifyHostname = verify;
      return this;
    }

    private static Path readable(String name, Path file) {
      Objects.requireNonNull(file, name);
      if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
        throw new IllegalArgumentException(name + " is not a readable file: " + file);
      }
      return file;
    }

    /**
     * @throws IllegalStateException when no URI was given, or TLS settings were given for a {@code
     *     redis://} URL
     */
    public RedisBackplane build() {
      int modes =
          (endpoint != null ? 1 : 0)
              + (shards.isEmpty() ? 0 : 1)
              + (clusterSeeds.isEmpty() ? 0 : 1);
      if (modes == 0) {
        throw new IllegalStateException(
            "Redis URI is required: call uri(\"redis://host:6379\") or RedisBackplane.fromUrl(...)"
                + ", or shards(...) or cluster(...)");
      }
      if (modes > 1) {
        throw new IllegalStateException(
            "choose one of uri(...), shards(...) and cluster(...), not several");
      }
      List<RedisEndpoint> all =
          endpoint != null ? List.of(endpoint) : !shards.isEmpty() ? shards : clusterSeeds;
      boolean tlsSettings = tlsTrustStore != null || tlsKeyStore != null || !tlsVerifyHostname;
      for (RedisEndpoint e : all) {
        if (!e.tls && tlsSettings) {
          throw new IllegalStateException(
              "TLS settings were given but the URI is not rediss:// (" + e + ")");
        }
        if (e.tls != all.get(0).tls) {
          throw new IllegalStateException(
              "either every Redis URL is rediss:// or none is (" + all.get(0) + ", " + e + ")");
        }
      }
      return new RedisBackplane(
          new RedisConfig(
              all.get(0),
              shards,
              clusterSeeds,
              keyPrefix,
              historyLength,
              historyTtl,
              pingInterval,
              connectTimeout,
              socketTimeout,
              backoff,
              maxQueuedCommands,
              maxBatch,
              deliveryProbeMisses,
              tlsTrustStore,
              tlsTrustStorePassword,
              tlsKeyStore,
              tlsKeyStorePassword,
              tlsVerifyHostname));
    }

    private static Duration checkMillis(String name, Duration d, long min, long max) {
      Objects.requireNonNull(d, name);
      long ms;
      try {
        ms = d.toMillis();
      } catch (ArithmeticException e) {
        ms = Long.MAX_VALUE;
      }
      if (d.isNegative() || ms < min || ms > max) {
        throw new IllegalArgumentException(
            name + " must be between " + min + " ms and " + max + " ms, was " + d);
      }
      return d;
    }
  }
}
