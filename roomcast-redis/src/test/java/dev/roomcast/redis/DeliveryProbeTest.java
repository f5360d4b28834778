package dev.roomcast.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roomcast.spi.BackplaneNode;
import dev.roomcast.spi.MessageDraft;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Health that proves delivery: a node whose subscriber connection answers PING but receives nothing
 * of what is published where its commands go is unhealthy, and reconnects.
 */
class DeliveryProbeTest {
  private static final Duration WAIT = Duration.ofSeconds(20);

  @RegisterExtension static final RedisExtension redis = RedisExtension.ephemeral(2);

  @Test
  void aSubscriberLeftOnAnotherServerIsNoticedByTheProbe() throws Exception {
    RedisServer first = redis.servers().get(0);
    RedisServer later = redis.servers().get(1);
    // The node's first connection (commands) goes to one server, its subscriber to the other,
    // like a failover behind one address between two connects. PING works on both.
    try (SplitProxy proxy = SplitProxy.start(first.port(), later.port(), 1)) {
      RecordingListener l = new RecordingListener();
      RedisBackplane bp =
          RedisBackplane.builder()
              .uri("redis://127.0.0.1:" + proxy.port())
              .backoff(RedisExtension.quickBackoff())
              .pingInterval(Duration.ofMillis(200))
              .socketTimeout(Duration.ofMillis(500))
              .build();
      BackplaneNode node = redis.attach(bp, "split", l);
      Await.until(WAIT, () -> l.lost.get() >= 1, "the probe notices the split");
      assertThat(l.lostCauses.get(0))
          .hasMessageContaining("unreachable")
          .hasRootCauseMessage(
              "Redis delivered this node's delivery probe to no subscriber: the subscriber"
                  + " connection is not on the server the commands go to");
      // it reconnects; both connections now reach the same server, and traffic flows
      Await.until(WAIT, () -> node.isHealthy() && l.restored.get() >= 1, "back, on one server");
      String room = "probed";
      node.subscribe(room);
      BackplaneNode other = redis.attach(RedisExtension.backplane(later).build(), "direct", l);
      other
          .publish(new MessageDraft(room, "c", "1", "2026-01-01T00:00:00Z", "direct"))
          .toCompletableFuture()
          .get(10, TimeUnit.SECONDS);
      Await.until(WAIT, () -> l.in(room).size() == 1, "the node receives again");
      assertThat(l.lost.get()).as("and stays up").isEqualTo(1);
    }
  }
}
