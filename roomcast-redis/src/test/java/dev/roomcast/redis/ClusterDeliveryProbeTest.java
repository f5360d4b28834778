package dev.roomcast.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roomcast.spi.BackplaneNode;
import dev.roomcast.spi.MessageDraft;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;

/**
 * Health that proves delivery on a Redis Cluster: one primary is reached through a proxy (the
 * primary announces the proxy's port) that can drop pub/sub deliveries while PINGs, commands and
 * replication still pass. Its link answers PING and publishes succeed, yet nothing arrives: the
 * link's own probes notice, the backplane reports the outage, and it comes back when delivery does.
 */
class ClusterDeliveryProbeTest {
  private static final Duration WAIT = Duration.ofSeconds(30);

  @RegisterExtension static final RedisExtension redis = RedisExtension.cluster(3);

  @Test
  void aClusterLinkThatStopsDeliveringIsReportedLostThenRestored() throws Exception {
    String primary = redis.cluster().ownerOf(0);
    RedisServer node = redis.cluster().at(primary);
    try (MutingProxy proxy = MutingProxy.start(node.port())) {
      String viaProxy = node.host() + ":" + proxy.port();
      try (Jedis j = node.client()) {
        j.configSet("cluster-announce-port", Integer.toString(proxy.port()));
      }
      Await.until(WAIT, () -> everyNodeSays(0, viaProxy), () -> "the proxy's port is announced");

      RedisBackplane bp =
          RedisBackplane.builder()
              .cluster(redis.cluster().seeds())
              .backoff(RedisExtension.quickBackoff())
              .pingInterval(Duration.ofMillis(200))
              .socketTimeout(Duration.ofMillis(1000))
              .connectTimeout(Duration.ofMillis(1000))
              .build();
      RecordingListener l = new RecordingListener();
      BackplaneNode muted = redis.attach(bp, "probed", l);
      BackplaneNode other = redis.attach(bp, "sender", new RecordingListener());
      assertThat(muted.isHealthy()).isTrue();
      String room = roomOn(bp, viaProxy);
      muted.subscribe(room);
      publish(other, room, "1");
      Await.until(WAIT, () -> l.in(room).size() == 1, "delivery through the proxy works");

      proxy.mute(true);
      Await.until(WAIT, () -> l.lost.get() >= 1, "the link's probes notice the silence");
      assertThat(muted.isHealthy()).isFalse();
      assertThat(l.lostCauses.get(0))
          .rootCause()
          .hasMessageContaining("delivery probes in a row that Redis accepted did not reach");
      assertThat(proxy.dropped()).as("only deliveries were dropped").isPositive();

      proxy.mute(false);
      // the sender's link to that primary went deaf too (its probes are deliveries as well)
      Await.until(
          WAIT,
          () -> muted.isHealthy() && other.isHealthy() && l.restored.get() >= 1,
          "both restored");
      publish(other, room, "2");
      Await.until(WAIT, () -> l.in(room).size() >= 2, "the link delivers again");
      assertThat(l.lost.get()).as("one outage").isEqualTo(1);
    } finally {
      try (Jedis j = node.client()) {
        j.configSet("cluster-announce-port", "0");
      }
    }
  }

  @Test
  void probesFollowTheirSlotWhenItMovesWithoutAFalseAlarm() throws Exception {
    RedisBackplane bp =
        RedisBackplane.builder()
            .cluster(redis.cluster().seeds())
            .backoff(RedisExtension.quickBackoff())
            .pingInterval(Duration.ofMillis(100))
            .socketTimeout(Duration.ofMillis(1000))
            .connectTimeout(Duration.ofMillis(1000))
            .deliveryProbeMisses(1) // the strictest rule: any lost probe would be an outage
            .build();
    RecordingListener l = new RecordingListener();
    BackplaneNode n = redis.attach(bp, "mover", l);
    String primary = redis.cluster().ownerOf(SlotMap.SLOTS - 1);
    String before = probeChannel("mover", primary);
    Await.until(WAIT, () -> shardNumSub(primary, before) == 1, "the link probes on its slot");

    redis.cluster().moveSlot(SlotMap.slotOf(before), redis.cluster().otherPrimary(primary));
    String after = probeChannel("mover", primary);
    assertThat(after).isNotEqualTo(before);
    Await.until(
        WAIT, () -> shardNumSub(primary, after) == 1, "the link probes on a slot still its own");
    long calls = spublishCalls(primary);
    Await.until(WAIT, () -> spublishCalls(primary) >= calls + 10, "ten more probes there");
    assertThat(l.lost.get()).as("a moved probe slot is no outage").isZero();
    assertThat(n.isHealthy()).isTrue();
  }

  /** The channel a link's probes use: the first tag whose slot {@code address} owns. */
  private static String probeChannel(String nodeId, String address) {
    Wire wire = new Wire(RedisBackplane.DEFAULT_KEY_PREFIX);
    for (int tag = 0; ; tag++) {
      String channel = wire.probeChannel(nodeId, Integer.toString(tag, 36));
      if (redis.cluster().ownerOf(SlotMap.slotOf(channel)).equals(address)) {
        return channel;
      }
    }
  }

  private static long shardNumSub(String address, String channel) {
    try (Jedis j = redis.cluster().at(address).client()) {
      return j.pubsubShardNumSub(channel).getOrDefault(channel, 0L);
    }
  }

  private static long spublishCalls(String address) {
    try (Jedis j = redis.cluster().at(address).client()) {
      for (String line : j.info("commandstats").split("\r\n")) {
        if (line.startsWith("cmdstat_spublish:calls=")) {
          return Long.parseLong(line.substring(23, line.indexOf(',')));
        }
      }
      return 0;
    }
  }

  private static void publish(BackplaneNode from, String room, String content) throws Exception {
    from.publish(new MessageDraft(room, "c", content, "2026-01-01T00:00:00Z", "sender"))
        .toCompletableFuture()
        .get(10, TimeUnit.SECONDS);
  }

  /** A room whose slot the node at {@code address} owns. */
  private static String roomOn(RedisBackplane bp, String address) {
    for (int i = 0; ; i++) {
      String room = "muted-" + i;
      if (redis.cluster().ownerOf(SlotMap.slotOf(bp.channelOf(room))).equals(address)) {
        return room;
      }
    }
  }

  /** Whether every running node reports {@code address} as the owner of {@code slot}. */
  private static boolean everyNodeSays(int slot, String address) {
    for (RedisServer s : redis.cluster().servers()) {
      try (Jedis j = s.client()) {
        for (Object o : j.clusterSlots()) {
          List<?> range = (List<?>) o;
          if ((Long) range.get(0) <= slot && slot <= (Long) range.get(1)) {
            List<?> owner = (List<?>) range.get(2);
            if (!(Wire.text(owner.get(0)) + ":" + owner.get(1)).equals(address)) {
              return false;
            }
          }
        }
      }
    }
    return true;
  }
}
