package dev.roomcast.redis;

import com.sun.management.OperatingSystemMXBean;
import dev.roomcast.spi.BackplaneNode;
import dev.roomcast.spi.MessageDraft;
import dev.roomcast.spi.RoomMessage;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import redis.clients.jedis.Jedis;

/**
 * Publish throughput at saturation through one node: one Redis vs 3 independent shards vs a
 * 3-primary Cluster (with replicas), and where the CPU went. A program, not a test:
 *
 * <pre>
 * java -cp target/classes:target/test-classes:$(deps) dev.roomcast.redis.TopologyBenchmark [messages] [rounds]
 * </pre>
 *
 * 4 publisher threads, 64 publishes in flight each, 48 rooms (so that rooms spread over the
 * shards), 80-byte messages, pipelining on (maxBatch 256). Rounds alternate the topologies so that
 * each sees the machine at about the same load. Prints publishes/s and, over the measured window,
 * the CPU of the JVM and of each primary redis-server (INFO cpu), in % of one core.
 */
public final class TopologyBenchmark {
  private TopologyBenchmark() {}

  public static void main(String[] args) throws Exception {
    int messages = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    System.out.printf(
        "cores available to the JVM: %d%n", Runtime.getRuntime().availableProcessors());
    try (RedisServer single = RedisServer.start();
        RedisServer s1 = RedisServer.start();
        RedisServer s2 = RedisServer.start();
        RedisServer s3 = RedisServer.start();
        RedisCluster cluster = RedisCluster.start(3)) {
      List<Topology> topologies =
          List.of(
              new Topology("one Redis", b -> b.uri(single.uri()), List.of(single)),
              new Topology(
                  "3 shards", b -> b.shards(s1.uri(), s2.uri(), s3.uri()), List.of(s1, s2, s3)),
              new Topology(
                  "3-primary Cluster",
                  b -> b.cluster(cluster.seeds()),
                  cluster.servers().stream().filter(TopologyBenchmark::isPrimary).toList()));
      for (int round = 1; round <= rounds; round++) {
        for (Topology t : topologies) {
          RedisBackplane bp =
              t.configure.apply(RedisBackplane.builder()).historyLength(1000).build();
          BackplaneNode node = bp.attach("bench", new RecordingListener());
          try {
            run(node, messages / 10); // warm-up
            List<Double> before = cpu(t.servers);
            long jvmBefore = jvmCpuNanos();
            long t0 = System.nanoTime();
            run(node, messages);
            double seconds = (System.nanoTime() - t0) / 1e9;
            double jvm = (jvmCpuNanos() - jvmBefore) / 1e9 / seconds * 100;
            List<Double> after = cpu(t.servers);
            StringBuilder redisCpu = new StringBuilder();
            for (int i = 0; i < before.size(); i++) {
              redisCpu.append(
                  String.format(" %3.0f%%", (after.get(i) - before.get(i)) / seconds * 100));
            }
            System.out.printf(
                "round %d  %-18s %,9.0f publishes/s   JVM CPU %4.0f%%   redis-server CPU%s%n",
                round, t.name, messages / seconds, jvm, redisCpu);
          } finally {
            node.close();
          }
        }
      }
    }
  }

  private record Topology(
      String name,
      Function<RedisBackplane.Builder, RedisBackplane.Builder> configure,
      List<RedisServer> servers) {}

  private static boolean isPrimary(RedisServer s) {
    try (Jedis j = s.client()) {
      return j.info("replication").contains("role:master");
    }
  }

  /** used_cpu_sys + used_cpu_user of each server, in seconds. */
  private static List<Double> cpu(List<RedisServer> servers) {
    List<Double> out = new ArrayList<>();
    for (RedisServer s : servers) {
      try (Jedis j = s.client()) {
        double total = 0;
        for (String line : j.info("cpu").split("\r\n")) {
          if (line.startsWith("used_cpu_sys:") || line.startsWith("used_cpu_user:")) {
            total += Double.parseDouble(line.substring(line.indexOf(':') + 1));
          }
        }
        out.add(total);
      }
    }
    return out;
  }

  private static long jvmCpuNanos() {
    return ((OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  private static void run(BackplaneNode node, int messages) throws Exception {
    int threads = 4;
    int inFlight = 64;
    String content = "{\"text\":\"hello, this is a chat message of typical size\",\"n\":12345}";
    List<Thread> ts = new ArrayList<>();
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
                                  "bench-" + ((id * 31 + i) % 48),
                                  "client-" + id,
                                  content,
                                  "2025-01-01T00:00:00.000Z",
                                  "bench"))
                          .toCompletableFuture();
                  last.whenComplete((m, e) -> window.release());
                }
                try {
                  last.get(120, TimeUnit.SECONDS);
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
  }
}
