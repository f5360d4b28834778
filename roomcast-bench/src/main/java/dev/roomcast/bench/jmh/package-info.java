/**
 * JMH microbenchmarks of roomcast's core hot path: a broadcast through a {@link dev.roomcast.Hub}
 * to 10, 100 and 1,000 members with an inline-completing transport ({@code BroadcastBenchmark}),
 * the wire codec ({@code CodecBenchmark}) and one connection's outbox ({@code OutboxBenchmark}).
 * Short iterations by default (3 x 1 s warmup, 5 x 1 s measurement, 1 fork); run them with {@code
 * java -jar roomcast-bench/target/roomcast-bench.jar jmh [JMH options]}, e.g. {@code jmh Broadcast
 * -p members=1000}.
 */
package dev.roomcast.bench.jmh;
