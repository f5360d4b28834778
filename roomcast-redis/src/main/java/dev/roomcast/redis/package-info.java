/** The Redis backplane: pub/sub for live fan-out between instances, Streams for history. */
package dev.roomcast.redis;
