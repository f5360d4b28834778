package dev.roomcast.redis;

import dev.roomcast.spi.BackplaneNode;
import dev.roomcast.spi.MessageDraft;
import dev.roomcast.spi.RoomMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Prints publish throughput through one node with and without pipelining. A program, not a test:
 *
 * <pre>
 * java -cp target/classes:target/test-classes:$(deps) dev.roomcast.redis.PublishBenchmark [messages] [inFlight]
 * </pre>
 *
 * Each run starts its own redis-server. {@code inFlight} bounds outstanding publishes per publisher
 * thread (as a hub's many connections would have); 4 publisher threads, 8 rooms.
 */
public final class PublishBenchmark {
  private PublishBenchmark() {}

  public static void main(String[] args) throws Exception {
    int messages = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
    int inFlight = args.length > 1 ? Integer.parseInt(args[1]) : 64;
    try (RedisServer redis = RedisServer.start()) {
      for (int batch : new int[] {1, 16, 256, 1, 16, 256}) {
        RedisBackplane bp =
            RedisBackplane.builder().uri(redis.uri()).maxBatch(batch).historyLength(1000).build();
        BackplaneNode node = bp.attach("bench" + batch, new RecordingListener());
        try {
          run(node, batch, messages / 10, inFlight); // warm-up
          double perSecond = run(node, batch, messages, inFlight);
          System.out.printf(
              "maxBatch=%4d  in-flight/thread=%3d  %,9.0f publishes/s%n",
              batch, inFlight, perSecond);
        } finally {
          node.close();
        }
      }
    }
  }

  private static double run(BackplaneNode node, int batch, int messages, int inFlight)
      throws Exception {
    int threads = 4;
    String content = "{\"text\":\"hello, this is a chat message of typical size\",\"n\":12345}";
    List<Thread> ts = new ArrayList<>();
    long t0 = System.nanoTime();
    for (int t = 0; t < threads; t++) {
      int id = t;
      Thread th =
          new Thread(
              () -> {
                Semaphore window = new Semaphore(inFlight);
                CompletableFuture<RoomMessage> last = null;
                for (int i = 0; i < messages / threads; i++) {
                  window.acquireUninterruptibly();
                  last =
                      node.publish(
                              new MessageDraft(
                                  "bench-" + ((id * 31 + i) % 8),
                                  "client-" + id,
                                  content,
                                  "2025-01-01T00:00:00.000Z",
                                  "bench" + batch))
                          .toCompletableFuture();
                  last.whenComplete((m, e) -> window.release());
                }
                try {
                  last.get(60, TimeUnit.SECONDS);
                  window.acquire(inFlight);
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
              });
      th.start();
      ts.add(th);
    }
    for (Thread th : ts) {
      th.join();
    }
    return messages / ((System.nanoTime() - t0) / 1e9);
  }
}
