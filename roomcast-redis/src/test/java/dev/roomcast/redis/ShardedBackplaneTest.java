package dev.roomcast.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roomcast.BackplaneUnavailableException;
import dev.roomcast.Connection;
import dev.roomcast.Hub;
import dev.roomcast.JoinRequest;
import dev.roomcast.testing.RecordingTransport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;

/**
 * The sharded mode on three real redis-servers: where rooms live, who receives them, and one shard
 * crashing while the others keep serving.
 */
class ShardedBackplaneTest {
  private static final Duration WAIT = Duration.ofSeconds(20);

  @RegisterExtension static final RedisExtension redis = RedisExtension.ephemeral(3);

  private static RedisBackplane.Builder sharded() {
    return RedisBackplane.builder().shards(redis.uris()).backoff(RedisExtension.quickBackoff());
  }

  /** One room per shard, by name. */
  private static List<String> oneRoomPerShard(RedisBackplane bp, String prefix) {
    List<String> rooms = new ArrayList<>(List.of("", "", ""));
    for (int i = 0; rooms.contains(""); i++) {
      String room = prefix + i;
      int s = bp.shardOf(room);
      if (rooms.get(s).isEmpty()) {
        rooms.set(s, room);
      }
    }
    return rooms;
  }

  @Test
  void aRoomsKeysAndSubscribersAreOnItsShardOnly() throws Exception {
    RedisBackplane bp = sharded().build();
    Hub a = redis.hub("sha", bp);
    Hub b = redis.hub("shb", bp);
    Hub c = redis.hub("shc", bp);
    List<String> rooms = oneRoomPerShard(bp, "where-");
    List<RecordingTransport> onB = new ArrayList<>();
    for (String room : rooms) {
      a.join(JoinRequest.to(room), new RecordingTransport());
      RecordingTransport t = new RecordingTransport();
      b.join(JoinRequest.to(room), t);
      onB.add(t);
    }
    for (int s = 0; s < 3; s++) {
      String room = rooms.get(s);
      for (int i = 0; i < 5; i++) {
        a.publish(room, Integer.toString(i)).toCompletableFuture().get(10, TimeUnit.SECONDS);
      }
      RecordingTransport t = onB.get(s);
      Await.until(WAIT, () -> t.messages().size() == 5, () -> "b's member: " + t.frames());
      for (int other = 0; other < 3; other++) {
        RedisServer server = redis.servers().get(other);
        try (Jedis j = server.client()) {
          boolean here = other == s;
          assertThat(j.exists(bp.metaKeyOf(room)))
              .as("meta of %s on %d", room, other)
              .isEqualTo(here);
          assertThat(j.exists(bp.streamKeyOf(room))).isEqualTo(here);
          assertThat(j.xlen(bp.streamKeyOf(room))).isEqualTo(here ? 5 : 0);
        }
        // a and b have members there, c has none: only two subscribers, only on the room's shard
        assertThat(server.numsub(bp.channelOf(room))).isEqualTo(other == s ? 2 : 0);
      }
    }
    assertThat(c.metrics().toString()).isNotEmpty(); // c exists and served nothing
  }

  @Test
  void oneShardDownIsOneOutageAndTheOtherShardsKeepServing() throws Exception {
    RedisBackplane bp =
        sharded()
            .pingInterval(Duration.ofMillis(200))
            .socketTimeout(Duration.ofMillis(500))
            .connectTimeout(Duration.ofMillis(500))
            .build();
    Hub a = redis.hub("dna", bp);
    Hub b = redis.hub("dnb", bp);
    List<String> rooms = oneRoomPerShard(bp, "down-");
    List<RecordingTransport> onB = new ArrayList<>();
    List<Connection> onA = new ArrayList<>();
    for (String room : rooms) {
      onA.add(a.join(JoinRequest.to(room), new RecordingTransport()));
      RecordingTransport t = new RecordingTransport();
      b.join(JoinRequest.to(room), t);
      onB.add(t);
    }
    for (String room : rooms) {
      a.publish(room, "1").toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
    RedisServer shard1 = redis.servers().get(1);
    shard1.kill();
    Await.until(WAIT, () -> !a.isReady() && !b.isReady(), "both hubs see the shard go");
    Await.until(WAIT, () -> a.metrics().backplaneOutages() == 1, "one outage counted");

    // the down shard's room fails fast; the others keep working
    long t0 = System.nanoTime();
    try {
      a.publish(rooms.get(1), "2").toCompletableFuture().get(5, TimeUnit.SECONDS);
      throw new AssertionError("a publish to the down shard succeeded");
    } catch (ExecutionException e) {
      assertThat(e.getCause()).isInstanceOf(BackplaneUnavailableException.class);
    }
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(1));
    a.publish(rooms.get(0), "2").toCompletableFuture().get(10, TimeUnit.SECONDS);
    a.publish(rooms.get(2), "2").toCompletableFuture().get(10, TimeUnit.SECONDS);
    Await.until(
        WAIT,
        () -> onB.get(0).messages().size() == 2 && onB.get(2).messages().size() == 2,
        "rooms on the other shards still flow");

    shard1.restart(); // no persistence: that shard's rooms start a new epoch
    Await.until(WAIT, () -> a.isReady() && b.isReady(), "both hubs come back");
    assertThat(a.metrics().backplaneOutages()).isEqualTo(1);
    assertThat(shard1.numsub(bp.channelOf(rooms.get(1)))).isEqualTo(2);
    a.publish(rooms.get(1), "3").toCompletableFuture().get(10, TimeUnit.SECONDS);
    Await.until(
        WAIT,
        () -> onB.get(1).messages().size() == 2,
        () -> "the restarted shard's room flows again: " + onB.get(1).frames());
    assertThat(onB.get(1).messages().get(1).path("offset").asLong())
        .as("a new epoch after a restart without persistence")
        .isEqualTo(1);
  }
}
