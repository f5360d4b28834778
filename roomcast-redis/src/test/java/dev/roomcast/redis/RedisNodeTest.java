package dev.roomcast.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.roomcast.BackplaneUnavailableException;
import dev.roomcast.StreamPosition;
import dev.roomcast.spi.BackplaneNode;
import dev.roomcast.spi.HistoryPage;
import dev.roomcast.spi.MessageDraft;
import dev.roomcast.spi.RoomMessage;
import dev.roomcast.spi.RoomNotice;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;

/** The backplane SPI against a real Redis: offsets, fan-out, history, epochs, subscriptions. */
class RedisNodeTest {
  @RegisterExtension static final RedisExtension redis = RedisExtension.ephemeral();
  private static final AtomicInteger ROOMS = new AtomicInteger();

  private static String room() {
    return "room-" + ROOMS.incrementAndGet();
  }

  private RedisBackplane.Builder backplane() {
    return RedisBackplane.builder().uri(redis.server().uri());
  }

  private BackplaneNode attach(RedisBackplane bp, String nodeId, RecordingListener l) {
    return redis.attach(bp, nodeId, l);
  }

  private static <T> T get(CompletionStage<T> stage) throws Exception {
    return stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private static MessageDraft draft(String room, String node, String content) {
    return new MessageDraft(room, "c-" + node, content, "2025-01-01T00:00:00Z", node);
  }

  @Test
  void offsetsAreConsecutiveAndEveryNodeAgrees() throws Exception {
    RedisBackplane bp = backplane().build();
    RecordingListener la = new RecordingListener();
    RecordingListener lb = new RecordingListener();
    BackplaneNode a = attach(bp, "a", la);
    BackplaneNode b = attach(bp, "b", lb);
    assertThat(a.isHealthy()).isTrue();
    String room = room();
    a.subscribe(room);
    b.subscribe(room);

    List<RoomMessage> fromA = new ArrayList<>();
    List<RoomMessage> fromB = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      fromA.add(get(a.publish(draft(room, "a", "{\"i\":" + i + "}"))));
      fromB.add(get(b.publish(draft(room, "b", "\"b" + i + "\""))));
    }
    List<Long> offsets = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      offsets.add(fromA.get(i).offset());
      offsets.add(fromB.get(i).offset());
    }
    assertThat(offsets).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L);
    assertThat(fromA.get(0).epoch()).isEqualTo(fromB.get(4).epoch());

    // each node hears only the other's messages, in offset order, with the same positions
    Await.until(Duration.ofSeconds(10), () -> lb.in(room).size() == 5, "b hears a");
    Await.until(Duration.ofSeconds(10), () -> la.in(room).size() == 5, "a hears b");
    assertThat(lb.in(room)).containsExactlyElementsOf(fromA);
    assertThat(la.in(room)).containsExactlyElementsOf(fromB);
    assertThat(get(a.position(room))).isEqualTo(new StreamPosition(fromA.get(0).epoch(), 10));
  }

  @Test
  void noticesReachOtherNodesOnlyAndAreNotStored() throws Exception {
    RedisBackplane bp = backplane().build();
    RecordingListener la = new RecordingListener();
    RecordingListener lb = new RecordingListener();
    BackplaneNode a = attach(bp, "na", la);
    BackplaneNode b = attach(bp, "nb", lb);
    String room = room();
    a.subscribe(room);
    b.subscribe(room);
    RoomNotice join = new RoomNotice(room, RoomNotice.Kind.JOIN, "x", "t1", "na");
    RoomNotice leave = new RoomNotice(room, RoomNotice.Kind.LEAVE, "x", "t2", "na");
    a.publishNotice(join);
    a.publishNotice(leave);
    Await.until(Duration.ofSeconds(10), () -> lb.notices.size() == 2, "b hears notices");
    assertThat(lb.notices).containsExactly(join, leave);
    Thread.sleep(100);
    assertThat(la.notices).isEmpty();
    assertThat(get(a.position(room)).offset()).isZero();
  }

  @Test
  void fieldsSurviveTheRoundTripEvenWithNewlinesAndBackslashes() throws Exception {
    RedisBackplane bp = backplane().build();
    RecordingListener lb = new RecordingListener();
    BackplaneNode a = attach(bp, "ea", new RecordingListener());
    BackplaneNode b = attach(bp, "eb", lb);
    String room = room();
    b.subscribe(room);
    MessageDraft d =
        new MessageDraft(
            room, "we\\ird\nid\\n", "{\"t\":\"line\\nbreak ü 😀\"}", "2025-01-01T00:00:00Z", "ea");
    RoomMessage stored = get(a.publish(d));
    Await.until(Duration.ofSeconds(10), () -> lb.in(room).size() == 1, "b hears it");
    assertThat(lb.in(room).get(0)).isEqualTo(stored);
    HistoryPage page = get(b.readHistory(room, stored.epoch(), 0, 10));
    assertThat(page.messages()).containsExactly(stored);
    assertThat(stored.clientId()).isEqualTo("we\\ird\nid\\n");
  }

  @Test
  void historyIsExactlyWhatCameAfterTheOffset() throws Exception {
    RedisBackplane bp = backplane().build();
    BackplaneNode a = attach(bp, "ha", new RecordingListener());
    String room = room();
    List<RoomMessage> sent = new ArrayList<>();
    for (int i = 1; i <= 10; i++) {
      sent.add(get(a.publish(draft(room, "ha", Integer.toString(i)))));
    }
    String epoch = sent.get(0).epoch();

    HistoryPage all = get(a.readHistory(room, epoch, 3, 100));
    assertThat(all.complete()).isTrue();
    assertThat(all.headOffset()).isEqualTo(10);
    assertThat(all.messages()).containsExactlyElementsOf(sent.subList(3, 10));

    HistoryPage limited = get(a.readHistory(room, epoch, 3, 2));
    assertThat(limited.complete()).isTrue();
    assertThat(limited.messages()).containsExactlyElementsOf(sent.subList(3, 5));

    HistoryPage anyEpoch = get(a.readHistory(room, null, 0, 100));
    assertThat(anyEpoch.messages()).containsExactlyElementsOf(sent);

    HistoryPage upToDate = get(a.readHistory(room, epoch, 10, 100));
    assertThat(upToDate.complete()).isTrue();
    assertThat(upToDate.messages()).isEmpty();

    HistoryPage ahead = get(a.readHistory(room, epoch, 11, 100));
    assertThat(ahead.complete()).isFalse();

    HistoryPage otherEpoch = get(a.readHistory(room, "nope", 3, 100));
    assertThat(otherEpoch.complete()).isFalse();
    assertThat(otherEpoch.epoch()).isEqualTo(epoch);
    assertThat(otherEpoch.headOffset()).isEqualTo(10);
  }

  @Test
  void trimmedHistoryIsReportedIncomplete() throws Exception {
    RedisBackplane bp = backplane().historyLength(10).build();
    BackplaneNode a = attach(bp, "ta", new RecordingListener());
    String room = room();
    List<CompletableFuture<RoomMessage>> futures = new ArrayList<>();
    for (int i = 1; i <= 400; i++) {
      futures.add(a.publish(draft(room, "ta", Integer.toString(i))).toCompletableFuture());
    }
    RoomMessage last = futures.get(399).get(10, TimeUnit.SECONDS);
    assertThat(last.offset()).isEqualTo(400);
    try (Jedis j = redis.server().client()) {
      long len = j.xlen(bp.streamKeyOf(room));
      assertThat(len).isBetween(10L, 399L); // MAXLEN ~ trims whole nodes: at least 10 remain
    }
    HistoryPage fromStart = get(a.readHistory(room, last.epoch(), 0, 1000));
    assertThat(fromStart.complete()).isFalse();
    HistoryPage recent = get(a.readHistory(room, last.epoch(), 390, 1000));
    assertThat(recent.complete()).isTrue();
    assertThat(recent.messages()).extracting(RoomMessage::offset).startsWith(391L).endsWith(400L);
  }

  @Test
  void anEmptyRoomGetsItsEpochAtTheFirstLook() throws Exception {
    RedisBackplane bp = backplane().build();
    BackplaneNode a = attach(bp, "pa", new RecordingListener());
    BackplaneNode b = attach(bp, "pb", new RecordingListener());
    String room = room();
    StreamPosition p1 = get(a.position(room));
    StreamPosition p2 = get(b.position(room));
    assertThat(p1.offset()).isZero();
    assertThat(p2).isEqualTo(p1);
    RoomMessage m = get(b.publish(draft(room, "pb", "1")));
    assertThat(m.epoch()).isEqualTo(p1.epoch());
    assertThat(m.offset()).isEqualTo(1);
  }

  @Test
  void lostRoomStateStartsANewEpoch() throws Exception {
    RedisBackplane bp = backplane().build();
    BackplaneNode a = attach(bp, "la", new RecordingListener());
    String room = room();
    RoomMessage first = get(a.publish(draft(room, "la", "1")));
    get(a.publish(draft(room, "la", "2")));
    try (Jedis j = redis.server().client()) {
      j.del(bp.metaKeyOf(room)); // e.g. evicted, or Redis restarted without persistence
    }
    RoomMessage after = get(a.publish(draft(room, "la", "3")));
    assertThat(after.epoch()).isNotEqualTo(first.epoch());
    assertThat(after.offset()).isEqualTo(1);
    HistoryPage old = get(a.readHistory(room, first.epoch(), 1, 100));
    assertThat(old.complete()).isFalse();
    HistoryPage fresh = get(a.readHistory(room, after.epoch(), 0, 100));
    assertThat(fresh.messages()).containsExactly(after); // the old stream was dropped
  }

  @Test
  void keysExpireAfterTheHistoryTtl() throws Exception {
    RedisBackplane bp = backplane().historyTtl(Duration.ofMinutes(5)).keyPrefix("ttltest:").build();
    BackplaneNode a = attach(bp, "xa", new RecordingListener());
    String room = room();
    get(a.publish(draft(room, "xa", "1")));
    try (Jedis j = redis.server().client()) {
      assertThat(bp.metaKeyOf(room)).isEqualTo("ttltest:{" + room + "}:meta");
      assertThat(j.ttl(bp.metaKeyOf(room))).isBetween(290L, 300L);
      assertThat(j.ttl(bp.streamKeyOf(room))).isBetween(290L, 300L);
    }
  }

  @Test
  void scriptsAreReloadedWhenRedisForgetsThem() throws Exception {
    RedisBackplane bp = backplane().build();
    BackplaneNode a = attach(bp, "sa", new RecordingListener());
    String room = room();
    get(a.publish(draft(room, "sa", "1")));
    try (Jedis j = redis.server().client()) {
      j.scriptFlush();
    }
    RoomMessage m = get(a.publish(draft(room, "sa", "2")));
    assertThat(m.offset()).isEqualTo(2);
    try (Jedis j = redis.server().client()) {
      j.scriptFlush();
    }
    assertThat(get(a.readHistory(room, m.epoch(), 0, 10)).messages()).hasSize(2);
  }

  @Test
  void subscriptionsFollowTheHubAndEmptyRoomsLeaveNoSubscriber() throws Exception {
    RedisBackplane bp = backplane().build();
    BackplaneNode a = attach(bp, "ua", new RecordingListener());
    BackplaneNode b = attach(bp, "ub", new RecordingListener());
    String room = room();
    String channel = bp.channelOf(room);
    a.subscribe(room);
    assertThat(redis.server().numsub(channel))
        .isEqualTo(1); // confirmed before subscribe() returned
    b.subscribe(room);
    assertThat(redis.server().numsub(channel)).isEqualTo(2);
    a.unsubscribe(room);
    b.unsubscribe(room);
    Await.until(
        Duration.ofSeconds(5), () -> redis.server().numsub(channel) == 0, "NUMSUB back to 0");
    // quick churn ends in the state asked last
    for (int i = 0; i < 20; i++) {
      a.subscribe(room);
      a.unsubscribe(room);
    }
    a.subscribe(room);
    Await.until(
        Duration.ofSeconds(5), () -> redis.server().numsub(channel) == 1, "NUMSUB 1 after churn");
    a.unsubscribe(room);
    Await.until(
        Duration.ofSeconds(5), () -> redis.server().numsub(channel) == 0, "NUMSUB 0 after churn");
  }

  @Test
  void aNodeDoesNotReceiveRoomsItDoesNotServe() throws Exception {
    RedisBackplane bp = backplane().build();
    RecordingListener lb = new RecordingListener();
    BackplaneNode a = attach(bp, "ra", new RecordingListener());
    attach(bp, "rb", lb);
    String room = room();
    get(a.publish(draft(room, "ra", "1")));
    a.publishNotice(new RoomNotice(room, RoomNotice.Kind.JOIN, "x", "t", "ra"));
    Thread.sleep(200);
    assertThat(lb.messages).isEmpty();
    assertThat(lb.notices).isEmpty();
  }

  @Test
  void aClosedNodeFailsFastAndClosesOnce() throws Exception {
    RedisBackplane bp = backplane().build();
    BackplaneNode a = attach(bp, "ca", new RecordingListener());
    a.close();
    a.close();
    assertThat(a.isHealthy()).isFalse();
    CompletableFuture<RoomMessage> f = a.publish(draft(room(), "ca", "1")).toCompletableFuture();
    assertThat(f).isCompletedExceptionally();
    assertThatThrownBy(f::get)
        .isInstanceOf(ExecutionException.class)
        .hasCauseInstanceOf(BackplaneUnavailableException.class)
        .hasMessageContaining("closed");
  }

  @Test
  void aRefusedAppendUsesUpNoOffset() throws Exception {
    RedisBackplane bp = backplane().build();
    BackplaneNode a = attach(bp, "wa", new RecordingListener());
    String room = room();
    RoomMessage first = get(a.publish(draft(room, "wa", "1")));
    try (Jedis j = redis.server().client()) {
      j.del(bp.streamKeyOf(room));
      j.set(bp.streamKeyOf(room), "not a stream"); // XADD will fail with WRONGTYPE
    }
    Throwable failure = null;
    try {
      get(a.publish(draft(room, "wa", "2")));
    } catch (ExecutionException e) {
      failure = e.getCause();
    }
    assertThat(failure)
        .isInstanceOf(BackplaneUnavailableException.class)
        .hasMessageContaining("Redis refused the command")
        .hasMessageContaining("WRONGTYPE");
    assertThat(a.isHealthy()).isTrue(); // a refused command is not an outage
    assertThat(get(a.position(room))).isEqualTo(new StreamPosition(first.epoch(), 1));
    try (Jedis j = redis.server().client()) {
      j.del(bp.streamKeyOf(room));
    }
    assertThat(get(a.publish(draft(room, "wa", "3"))).offset()).isEqualTo(2);
  }
}
