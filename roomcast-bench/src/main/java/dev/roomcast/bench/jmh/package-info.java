/**
 * JMH microbenchmarks of roomcast's core hot path (encode once, fan out to outboxes, history
 * append), to be added once roomcast-core has that path. The JMH annotation processor is already
 * configured in this module's POM, and the shaded jar runs them with {@code java -jar
 * roomcast-bench.jar jmh [JMH options]}.
 */
package dev.roomcast.bench.jmh;
