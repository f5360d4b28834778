/**
 * The Redis backplane: pub/sub for live fan-out between instances, Streams for history; on one
 * endpoint, sharded over independent servers, or on a Redis Cluster with sharded pub/sub. {@link
 * dev.roomcast.redis.RedisBackplane} is the API; every other class is package-private.
 */
package dev.roomcast.redis;
