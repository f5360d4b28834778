package dev.roomcast.redis;

import dev.roomcast.BackoffPolicy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Everything a {@link RedisBackplane} was configured with, checked and frozen by its {@link
 * RedisBackplane.Builder}, plus the values derived from it that the node's classes need (TTL in
 * whole seconds, deadlines in nanoseconds). Immutable and thread-safe; the key store passwords are
 * private copies the builder made.
 *
 * <p>Kept apart from {@link RedisBackplane} (the factory users hold) so the node's classes depend
 * on plain settings, not on the object that creates them.
 */
final class RedisConfig {
  /** The single endpoint; in the sharded and Cluster modes the first shard or seed. */
  final RedisEndpoint endpoint;

  /** Independent servers, in shard order; empty unless the sharded mode was chosen. */
  final List<RedisEndpoint> shards;

  /** Seed nodes of a Redis Cluster; empty unless the Cluster mode was chosen. */
  final List<RedisEndpoint> clusterSeeds;

  final String keyPrefix;
  final int historyLength;
  final Duration historyTtl;
  final Duration pingInterval;
  final Duration connectTimeout;
  final Duration socketTimeout;
  final BackoffPolicy backoff;
  final int maxQueuedCommands;
  final int maxBatch;
  final int deliveryProbeMisses;
  final Path tlsTrustStore;
  final char[] tlsTrustStorePassword;
  final Path tlsKeyStore;
  final char[] tlsKeyStorePassword;
  final boolean tlsVerifyHostname;

  /** {@code historyTtl} rounded up to whole seconds (at least 1), as EXPIRE takes it. */
  final long ttlSeconds;

  RedisConfig(
      RedisEndpoint endpoint,
      List<RedisEndpoint> shards,
      List<RedisEndpoint> clusterSeeds,
      String keyPrefix,
      int historyLength,
      Duration historyTtl,
      Duration pingInterval,
      Duration connectTimeout,
      Duration socketTimeout,
      BackoffPolicy backoff,
      int maxQueuedCommands,
      int maxBatch,
      int deliveryProbeMisses,
      Path tlsTrustStore,
      char[] tlsTrustStorePassword,
      Path tlsKeyStore,
      char[] tlsKeyStorePassword,
      boolean tlsVerifyHostname) {
    this.endpoint = endpoint;
    this.shards = List.copyOf(shards);
    this.clusterSeeds = List.copyOf(clusterSeeds);
    this.keyPrefix = keyPrefix;
    this.historyLength = historyLength;
    this.historyTtl = historyTtl;
    this.pingInterval = pingInterval;
    this.connectTimeout = connectTimeout;
    this.socketTimeout = socketTimeout;
    this.backoff = backoff;
    this.maxQueuedCommands = maxQueuedCommands;
    this.maxBatch = maxBatch;
    this.deliveryProbeMisses = deliveryProbeMisses;
    this.tlsTrustStore = tlsTrustStore;
    this.tlsTrustStorePassword = tlsTrustStorePassword;
    this.tlsKeyStore = tlsKeyStore;
    this.tlsKeyStorePassword = tlsKeyStorePassword;
    this.tlsVerifyHostname = tlsVerifyHostname;
    this.ttlSeconds = Math.max(1, (historyTtl.toMillis() + 999) / 1000);
  }

  long socketTimeoutNanos() {
    return socketTimeout.toNanos();
  }

  long pingIntervalNanos() {
    return pingInterval.toNanos();
  }

  /** How long a hub's {@code subscribe} waits for Redis to confirm: never more than 2 s. */
  long subscribeWaitMillis() {
    return Math.min(socketTimeout.toMillis(), 2000);
  }

  /** How long the subscriber waits for the command channel to reconnect and run the fences. */
  long restartWaitMillis() {
    return connectTimeout.toMillis() + 3 * socketTimeout.toMillis();
  }

  /** The watchdog's tick: a quarter of the shorter of the ping interval and socket timeout. */
  long watchdogTickMillis() {
    return Math.max(10, Math.min(pingInterval.toMillis(), socketTimeout.toMillis()) / 4);
  }

  /** The subscriber's read timeout once subscribed, a backstop to the PING watchdog. */
  int subscribedReadTimeoutMillis() {
    return (int)
        Math.min(Integer.MAX_VALUE, 2 * pingInterval.toMillis() + socketTimeout.toMillis());
  }
}
