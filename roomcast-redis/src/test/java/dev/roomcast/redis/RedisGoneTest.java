package dev.roomcast.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roomcast.BackoffPolicy;
import dev.roomcast.BackplaneUnavailableException;
import dev.roomcast.Connection;
import dev.roomcast.Hub;
import dev.roomcast.JoinRequest;
import dev.roomcast.MetricsSnapshot;
import dev.roomcast.Published;
import dev.roomcast.testing.RecordingTransport;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Redis goes away for good (or is not there yet): the hub keeps serving, fails fast, shuts down.
 */
class RedisGoneTest {
  @RegisterExtension static final RedisExtension hubs = RedisExtension.withoutServer();

  private static final Duration WAIT = Duration.ofSeconds(20);

  /** Live threads whose name mentions this node id (hub and backplane threads all do). */
  private static List<String> threadsOf(String nodeId) {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(Thread::isAlive)
        .map(Thread::getName)
        .filter(n -> n.endsWith("-" + nodeId))
        .sorted()
        .collect(Collectors.toList());
  }

  @Test
  void withRedisGoneTheHubServesLocallyFailsPublishesAndClosesCleanly() throws Exception {
    String nodeId = "gone";
    assertThat(threadsOf(nodeId)).isEmpty();
    try (RedisServer redis = RedisServer.start()) {
      Hub hub = hubs.hub(nodeId, RedisExtension.backplane(redis).build());
      assertThat(threadsOf(nodeId))
          .contains( // the hub's own scheduler thread starts lazily
              "roomcast-redis-sub-gone", "roomcast-redis-cmd-gone", "roomcast-redis-ctl-gone");
      String room = "lonely";
      RecordingTransport t1 = new RecordingTransport();
      Connection c1 = hub.join(JoinRequest.to(room), t1);
      hub.publish(room, "1").toCompletableFuture().get();

      redis.kill();
      Await.until(WAIT, () -> !hub.isReady(), "not ready");
      Await.until(WAIT, () -> hub.metrics().backplaneOutages() == 1, "the outage is counted");
      MetricsSnapshot m = hub.metrics();
      assertThat(m.backplaneUp()).isFalse();
      assertThat(m.backplaneOutages()).isEqualTo(1);

      // the hub keeps its members: connections stay open, joins still work locally
      RecordingTransport t2 = new RecordingTransport();
      hub.join(JoinRequest.to(room), t2);
      Await.until(WAIT, () -> t1.ofType("system").size() == 2, "t1 sees t2 join, locally");
      assertThat(t1.isClosed()).isFalse();

      // publishing answers the sender with an error frame, at once
      c1.receiveText("{\"content\":\"anyone?\"}");
      Await.until(WAIT, () -> !t1.ofType("error").isEmpty(), "an error frame");
      assertThat(t1.ofType("error").get(0).path("message").asText())
          .isEqualTo("message not delivered: Redis unreachable; reconnecting");
      assertThat(t1.messages()).hasSize(1);
      assertThat(t2.messages()).isEmpty();
      assertThat(hub.metrics().publishFailures()).isEqualTo(1);
      try {
        hub.publish(room, "2").toCompletableFuture().get(1, TimeUnit.SECONDS);
      } catch (ExecutionException e) {
        assertThat(e.getCause()).isInstanceOf(BackplaneUnavailableException.class);
      }
      assertThat(t1.isClosed()).isFalse();
      Thread.sleep(500); // let it retry a few times

      long t0 = System.nanoTime();
      hubs.closeAll();
      assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(3));
      Await.until(
          Duration.ofSeconds(5),
          () -> threadsOf(nodeId).isEmpty(),
          () -> "threads left: " + threadsOf(nodeId));
    }
  }

  @Test
  void aPolicyWithMaxAttemptsGivesUpAndSaysSo() throws Exception {
    try (RedisServer redis = RedisServer.start()) {
      BackoffPolicy twice =
          BackoffPolicy.builder()
              .initialDelay(Duration.ofMillis(10))
              .maxDelay(Duration.ofMillis(20))
              .maxAttempts(2)
              .build();
      Hub hub =
          hubs.hub("giveup", RedisBackplane.builder().uri(redis.uri()).backoff(twice).build());
      RecordingTransport t = new RecordingTransport();
      Connection c = hub.join(JoinRequest.to("r"), t);
      redis.kill();
      Await.until(
          WAIT,
          () -> !threadsOf("giveup").contains("roomcast-redis-sub-giveup"),
          "the subscriber thread stops after giving up");
      c.receiveText("{\"content\":1}");
      Await.until(WAIT, () -> !t.ofType("error").isEmpty(), "an error frame");
      assertThat(t.ofType("error").get(0).path("message").asText())
          .isEqualTo("message not delivered: Redis unreachable; gave up reconnecting");
      assertThat(hub.isReady()).isFalse();
    }
  }

  @Test
  void aHubStartedBeforeRedisBecomesReadyWhenRedisArrives() throws Exception {
    int port = RedisServer.Builder.freePort();
    RedisBackplane bp =
        RedisBackplane.builder()
            .uri("redis://127.0.0.1:" + port)
            .connectTimeout(Duration.ofMillis(300))
            .socketTimeout(Duration.ofMillis(300))
            .backoff(RedisExtension.quickBackoff())
            .build();
    long t0 = System.nanoTime();
    Hub hub = hubs.hub("early", bp);
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(3));
    assertThat(hub.isReady()).isFalse();
    RecordingTransport t = new RecordingTransport();
    hub.join(JoinRequest.to("r"), t); // works without Redis: welcome without a position
    assertThat(t.first().has("epoch")).isFalse();
    try (RedisServer redis = RedisServer.builder().port(port).start()) {
      Await.until(WAIT, hub::isReady, "ready once Redis is there");
      assertThat(redis.numsub(bp.channelOf("r"))).isEqualTo(1);
      Published p = hub.publish("r", "\"hi\"").toCompletableFuture().get(5, TimeUnit.SECONDS);
      assertThat(p.offset()).isEqualTo(1);
      Await.until(WAIT, () -> t.messages().size() == 1, "the member gets it");
    }
  }
}
