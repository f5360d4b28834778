package dev.roomcast.redis;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.roomcast.Hub;
import dev.roomcast.JoinRequest;
import dev.roomcast.Published;
import dev.roomcast.StreamPosition;
import dev.roomcast.spi.BackplaneNode;
import dev.roomcast.testing.RecordingTransport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.args.ClientType;
import redis.clients.jedis.params.ClientKillParams;

/**
 * The Cluster mode on a real 6-node Redis Cluster (3 primaries, 3 replicas): sharded pub/sub only
 * where members are, a slot migrated under traffic, and a primary killed under a busy room. The
 * tests share one Cluster; the failover runs last because it changes which nodes are primaries.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterBackplaneTest {
  private static final Duration WAIT = Duration.ofSeconds(30);

  @RegisterExtension static final RedisExtension redis = RedisExtension.cluster(3);

  private static RedisBackplane.Builder clustered() {
    return RedisBackplane.builder()
        .cluster(redis.cluster().seeds())
        .backoff(RedisExtension.quickBackoff())
        .pingInterval(Duration.ofMillis(300))
        .socketTimeout(Duration.ofMillis(1000))
        .connectTimeout(Duration.ofMillis(1000));
  }

  private static int slotOf(RedisBackplane bp, String room) {
    return SlotMap.slotOf(bp.channelOf(room));
  }

  private static long shardNumSub(String address, String channel) {
    try (Jedis j = redis.cluster().at(address).client()) {
      return j.pubsubShardNumSub(channel).getOrDefault(channel, 0L);
    }
  }

  private static long numSub(String address, String channel) {
    try (Jedis j = redis.cluster().at(address).client()) {
      return j.pubsubNumSub(channel).getOrDefault(channel, 0L);
    }
  }

  @Test
  @Order(1)
  void aRoomLivesOnItsSlotOwnerAndReachesOnlyHubsWithMembers() throws Exception {
    RedisBackplane bp = clustered().build();
    Hub a = redis.hub("cla", bp);
    Hub b = redis.hub("clb", bp);
    RecordingListener idle = new RecordingListener();
    BackplaneNode c = redis.attach(bp, "clc", idle); // attached, no member anywhere
    assertThat(c.isHealthy()).isTrue();
    String room = "where-in-cluster";
    RecordingTransport ta = new RecordingTransport();
    RecordingTransport tb = new RecordingTransport();
    a.join(JoinRequest.to(room), ta);
    b.join(JoinRequest.to(room), tb);
    String owner = redis.cluster().ownerOf(slotOf(bp, room));
    String channel = bp.channelOf(room);
    assertThat(shardNumSub(owner, channel)).as("a and b subscribed on the owner").isEqualTo(2);
    for (String node : redis.cluster().seeds()) {
      assertThat(numSub(node, channel)).as("no plain SUBSCRIBE on %s", node).isZero();
      if (!node.equals(owner)) {
        assertThat(shardNumSub(node, channel)).as("nothing on %s", node).isZero();
      }
    }
    for (int i = 1; i <= 20; i++) {
      (i % 2 == 0 ? a : b)
          .publish(room, Integer.toString(i))
          .toCompletableFuture()
          .get(10, TimeUnit.SECONDS);
    }
    Await.until(
        WAIT, () -> ta.messages().size() == 20 && tb.messages().size() == 20, "both get 20");
    assertThat(ta.offsets()).isEqualTo(tb.offsets());
    assertThat(ta.offsets()).containsExactlyElementsOf(range(1, 20));
    try (Jedis j = redis.cluster().at(owner).client()) {
      assertThat(j.xlen(bp.streamKeyOf(room))).isEqualTo(20);
      // meta + log, and presence: the set of nodes and one hash per hub with members there
      List<String> keys = j.clusterGetKeysInSlot(slotOf(bp, room), 100);
      assertThat(keys)
          .containsExactlyInAnyOrder(
              bp.metaKeyOf(room),
              bp.streamKeyOf(room),
              bp.channelOf(room) + ":presence",
              bp.channelOf(room) + ":presence:cla",
              bp.channelOf(room) + ":presence:clb");
    }
    assertThat(idle.messages).as("a node with no member there hears nothing").isEmpty();
    assertThat(idle.notices).isEmpty();
    // rooms spread: three rooms on three different primaries all work
    Set<String> owners = new HashSet<>();
    for (int i = 0; owners.size() < 3; i++) {
      String r = "spread-" + i;
      if (owners.add(redis.cluster().ownerOf(slotOf(bp, r)))) {
        Published p = a.publish(r, "1").toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertThat(p.offset()).isEqualTo(1);
      }
    }
  }

  @Test
  @Order(2)
  void aSlotMigratedUnderTrafficLosesNothingAndTheSubscriptionsFollow() throws Exception {
    RedisBackplane bp = clustered().build();
    Hub a = redis.hub("mga", bp);
    Hub b = redis.hub("mgb", bp);
    String room = "migrating";
    RecordingTransport ta = new RecordingTransport();
    RecordingTransport tb = new RecordingTransport();
    a.join(JoinRequest.to(room), ta);
    b.join(JoinRequest.to(room), tb);
    int slot = slotOf(bp, room);
    String from = redis.cluster().ownerOf(slot);
    Traffic traffic = Traffic.start(a, b, room);
    traffic.awaitAcked(40);
    String to = redis.cluster().otherPrimary(from);
    redis.cluster().moveSlot(slot, to);
    assertThat(redis.cluster().ownerOf(slot)).isEqualTo(to);
    traffic.awaitAcked(traffic.acked.size() + 40);
    traffic.stop();

    String channel = bp.channelOf(room);
    Await.until(WAIT, () -> shardNumSub(to, channel) == 2, "both hubs subscribed on the new owner");
    assertThat(shardNumSub(from, channel)).isZero();
    int n = traffic.acked.size();
    Await.until(
        WAIT,
        () -> ta.messages().size() >= n && tb.messages().size() >= n,
        () ->
            "members get all " + n + ": a " + ta.messages().size() + ", b " + tb.messages().size());
    Thread.sleep(200); // a duplicate would arrive by now
    for (RecordingTransport t : List.of(ta, tb)) {
      assertThat(t.offsets())
          .as("every message once, in order")
          .containsExactlyElementsOf(range(1, n));
      assertThat(t.messages().stream().map(m -> m.path("epoch").asText()).distinct()).hasSize(1);
    }
    assertThat(ta.messages()).isEqualTo(tb.messages());
    assertThat(traffic.failures.get()).as("publishes failed during the migration").isZero();
  }

  @Test
  @Order(3)
  void killingThePrimaryOfABusyRoomIsSurvivedWithoutDuplicatesOrLies() throws Exception {
    RedisBackplane bp = clustered().build();
    Hub a = redis.hub("kla", bp);
    Hub b = redis.hub("klb", bp);
    String room = "busy";
    RecordingTransport ta = new RecordingTransport();
    RecordingTransport tb = new RecordingTransport();
    a.join(JoinRequest.to(room), ta);
    b.join(JoinRequest.to(room), tb);
    RecordingTransport leaver = new RecordingTransport();
    var leaving = a.join(JoinRequest.to(room), leaver);
    int slot = slotOf(bp, room);
    String owner = redis.cluster().ownerOf(slot);

    Traffic traffic = Traffic.start(a, b, room);
    traffic.awaitAcked(50);
    Await.until(WAIT, () -> leaver.messages().size() >= 10, "the leaver saw some");
    List<JsonNode> seenByLeaver = leaver.messages();
    JsonNode lastSeen = seenByLeaver.get(seenByLeaver.size() - 1);
    leaving.transportClosed(); // a client drops before the failover and resumes after it
    StreamPosition from =
        new StreamPosition(lastSeen.path("epoch").asText(), lastSeen.path("offset").asLong());

    redis.cluster().at(owner).kill(); // SIGKILL: its replica takes over after cluster-node-timeout
    Await.until(WAIT, () -> a.metrics().backplaneOutages() >= 1, "the outage is seen");
    Await.until(
        WAIT,
        () -> !redis.cluster().ownerOf(slot).equals(owner),
        () -> "a replica is promoted for " + owner + ":\n" + redis.cluster().nodes());
    Await.until(WAIT, () -> a.isReady() && b.isReady(), "both hubs are ready again");
    int before = traffic.acked.size();
    traffic.awaitAcked(before + 50);
    traffic.stop();

    List<Ack> acked = List.copyOf(traffic.acked);
    String finalEpoch = acked.get(acked.size() - 1).epoch;
    Await.until(
        WAIT,
        () -> containsAll(ta, acked, finalEpoch) && containsAll(tb, acked, finalEpoch),
        () ->
            "members get every acknowledged message: a "
                + ta.messages().size()
                + ", b "
                + tb.messages().size()
                + " of "
                + acked.size());
    Thread.sleep(300); // a duplicate would arrive by now
    for (RecordingTransport t : List.of(ta, tb)) {
      assertInOrderOnce(t);
    }
    assertThat(ta.messages()).as("both members see the same sequence").isEqualTo(tb.messages());

    // the client that dropped resumes on the other hub: exactly what it missed, or told so
    RecordingTransport resumed = new RecordingTransport();
    b.join(JoinRequest.to(room).resumingFrom(from), resumed);
    Await.until(WAIT, () -> !resumed.frames().isEmpty(), "welcome");
    JsonNode welcome = resumed.first();
    if (welcome.path("recovered").asBoolean()) {
      List<JsonNode> expected = after(tb.messages(), from);
      Await.until(
          WAIT, () -> resumed.messages().size() >= expected.size(), "the missed messages arrive");
      assertThat(resumed.messages().subList(0, expected.size())).isEqualTo(expected);
    } else {
      assertThat(welcome.path("epoch").asText()).isEqualTo(finalEpoch);
    }
    redis.cluster().at(owner).restart(); // rejoins as a replica
  }

  @Test
  @Order(4)
  void aPromotedReplicaThatMissedTheTailMovesTheRoomToANewEpoch() throws Exception {
    RedisBackplane bp = clustered().build();
    Hub a = redis.hub("lta", bp);
    Hub b = redis.hub("ltb", bp);
    String room = "lost-tail";
    RecordingTransport ta = new RecordingTransport();
    RecordingTransport tb = new RecordingTransport();
    a.join(JoinRequest.to(room), ta);
    b.join(JoinRequest.to(room), tb);
    String owner = redis.cluster().ownerOf(slotOf(bp, room));
    RedisServer primary = redis.cluster().at(owner);
    RedisServer replica = redis.cluster().replicaOf(owner);
    for (int i = 1; i <= 10; i++) {
      a.publish(room, Integer.toString(i)).toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
    redis.cluster().awaitInSync(primary, replica);
    String epoch = a.roomPosition(room).epoch();

    // Asynchronous replication loses a tail: the replica is frozen and cut off, five more
    // messages are acknowledged (and delivered live), then the primary freezes, the replica is
    // promoted without them, and the old primary dies.
    replica.pause();
    try (Jedis j = primary.client()) {
      j.clientKill(ClientKillParams.clientKillParams().type(ClientType.REPLICA));
    }
    for (int i = 11; i <= 15; i++) {
      a.publish(room, Integer.toString(i)).toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
    Await.until(WAIT, () -> tb.messages().size() == 15, "b's member got 15 live");
    primary.pause();
    replica.resume();
    Await.until(
        WAIT,
        () -> !redis.cluster().ownerOf(slotOf(bp, room)).equals(owner),
        () -> "the replica is promoted:\n" + redis.cluster().nodes());
    primary.kill();
    Await.until(WAIT, () -> a.isReady() && b.isReady(), "both hubs are ready again");

    Published next = a.publish(room, "16").toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertThat(next.epoch()).as("the room moved to a new epoch").isNotEqualTo(epoch);
    assertThat(next.offset()).as("offsets 11-15 are not reused").isEqualTo(1);
    Await.until(
        WAIT,
        () -> tb.messages().size() == 16,
        () -> "b's member gets the next message: " + tb.frames());
    assertThat(tb.messages().get(15).path("epoch").asText()).isEqualTo(next.epoch());

    RecordingTransport resumed = new RecordingTransport();
    b.join(JoinRequest.to(room).resumingFrom(new StreamPosition(epoch, 12)), resumed);
    Await.until(WAIT, () -> !resumed.frames().isEmpty(), "welcome");
    assertThat(resumed.first().path("recovered").asBoolean())
        .as("offsets 13-15 are gone: no recovered:true for them")
        .isFalse();
    primary.restart(); // rejoins as a replica
  }

  // ---- helpers

  private static List<Long> range(long from, long to) {
    List<Long> out = new ArrayList<>();
    for (long i = from; i <= to; i++) {
      out.add(i);
    }
    return out;
  }

  /** Every ack is in the member's messages, unless the room moved to a new epoch after it. */
  private static boolean containsAll(RecordingTransport t, List<Ack> acked, String finalEpoch) {
    Set<String> got = new HashSet<>();
    for (JsonNode m : t.messages()) {
      got.add(m.path("content").path("i").asText());
    }
    for (Ack ack : acked) {
      if (!got.contains(Integer.toString(ack.i)) && ack.epoch.equals(finalEpoch)) {
        return false;
      }
    }
    return true;
  }

  private static void assertInOrderOnce(RecordingTransport t) {
    Set<String> contents = new HashSet<>();
    List<String> epochs = new ArrayList<>();
    long last = 0;
    for (JsonNode m : t.messages()) {
      assertThat(contents.add(m.path("content").toString())).as("no duplicate: %s", m).isTrue();
      String epoch = m.path("epoch").asText();
      if (epochs.isEmpty() || !epochs.get(epochs.size() - 1).equals(epoch)) {
        assertThat(epochs).as("an epoch never comes back").doesNotContain(epoch);
        epochs.add(epoch);
        last = 0;
      }
      long offset = m.path("offset").asLong();
      assertThat(offset).as("offsets rise within an epoch").isGreaterThan(last);
      last = offset;
    }
  }

  private static List<JsonNode> after(List<JsonNode> messages, StreamPosition from) {
    List<JsonNode> out = new ArrayList<>();
    for (JsonNode m : messages) {
      if (m.path("epoch").asText().equals(from.epoch())
          && m.path("offset").asLong() > from.offset()) {
        out.add(m);
      }
    }
    return out;
  }

  record Ack(int i, String epoch, long offset) {}

  /** Publishes {"i": n} alternately through two hubs until stopped, recording what was acked. */
  static final class Traffic {
    final List<Ack> acked = new CopyOnWriteArrayList<>();
    final AtomicInteger failures = new AtomicInteger();
    final AtomicBoolean stop = new AtomicBoolean();
    final Thread thread;

    private Traffic(Hub a, Hub b, String room) {
      thread =
          new Thread(
              () -> {
                for (int i = 0; !stop.get(); i++) {
                  try {
                    Published p =
                        (i % 2 == 0 ? a : b)
                            .publish(room, "{\"i\":" + i + "}")
                            .toCompletableFuture()
                            .get(5, TimeUnit.SECONDS);
                    acked.add(new Ack(i, p.epoch(), p.offset()));
                  } catch (Exception e) {
                    failures.incrementAndGet();
                  }
                  try {
                    Thread.sleep(5);
                  } catch (InterruptedException e) {
                    return;
                  }
                }
              },
              "traffic-" + room);
      thread.setDaemon(true);
    }

    static Traffic start(Hub a, Hub b, String room) {
      Traffic t = new Traffic(a, b, room);
      t.thread.start();
      return t;
    }

    void awaitAcked(int n) {
      Await.until(WAIT, () -> acked.size() >= n, () -> n + " acked, have " + acked.size());
    }

    void stop() throws InterruptedException {
      stop.set(true);
      thread.join(10_000);
    }
  }
}
