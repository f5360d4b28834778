package dev.roomcast.redis;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.roomcast.Connection;
import dev.roomcast.Hub;
import dev.roomcast.JoinRequest;
import dev.roomcast.StreamPosition;
import dev.roomcast.testing.RecordingTransport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Two hubs sharing rooms through one Redis, with recording transports as clients. */
class TwoHubsTest {
  @RegisterExtension static final RedisExtension redis = RedisExtension.ephemeral();
  private static final AtomicInteger ROOMS = new AtomicInteger();
  private static final Duration WAIT = Duration.ofSeconds(15);

  static String room() {
    return "two-" + ROOMS.incrementAndGet();
  }

  private Hub hub(String nodeId) {
    Hub h = redis.hub(nodeId, RedisBackplane.fromUrl(redis.server().uri()));
    assertThat(h.isReady()).isTrue();
    return h;
  }

  private static String clientId(RecordingTransport t) {
    return t.first().path("client_id").asText();
  }

  @Test
  void joinsAndLeavesAreSeenAcrossHubs() {
    Hub a = hub("joina");
    Hub b = hub("joinb");
    String room = room();
    RecordingTransport ta = new RecordingTransport();
    a.join(JoinRequest.to(room), ta);
    RecordingTransport tb = new RecordingTransport();
    Connection cb = b.join(JoinRequest.to(room), tb);
    String bId = clientId(tb);

    Await.until(
        WAIT, () -> ta.ofType("system").size() == 2, () -> "a sees b's join; a has " + ta.frames());
    JsonNode joined = ta.ofType("system").get(1);
    assertThat(joined.path("message").asText()).isEqualTo(bId + " joined the room");
    assertThat(joined.path("room").asText()).isEqualTo(room);

    cb.transportClosed();
    Await.until(
        WAIT,
        () -> ta.ofType("system").size() == 3,
        () -> "a sees b's leave; a has " + ta.frames());
    assertThat(ta.ofType("system").get(2).path("message").asText())
        .isEqualTo(bId + " left the room");
    // b saw its welcome, and at most a's join: a joined first, but its notice crosses Redis
    // asynchronously and may be published after b's hub subscribed. Never its own join or leave.
    List<JsonNode> bSystem = tb.ofType("system");
    assertThat(bSystem.get(0).path("client_id").asText()).isEqualTo(bId);
    assertThat(bSystem.subList(1, bSystem.size()))
        .hasSizeLessThanOrEqualTo(1)
        .allSatisfy(
            n ->
                assertThat(n.path("message").asText())
                    .isEqualTo(clientId(ta) + " joined the room"));
  }

  @Test
  void everyMemberGetsEveryMessageOnceInOffsetOrder() throws Exception {
    Hub a = hub("ordera");
    Hub b = hub("orderb");
    String room = room();
    List<RecordingTransport> members = new ArrayList<>();
    List<Connection> publishers = new ArrayList<>();
    for (Hub h : List.of(a, b, a, b)) {
      RecordingTransport t = new RecordingTransport();
      members.add(t);
      publishers.add(h.join(JoinRequest.to(room), t));
    }
    // the first member on each hub publishes 250 messages, both at once
    CountDownLatch go = new CountDownLatch(1);
    List<Thread> threads = new ArrayList<>();
    for (int p = 0; p < 2; p++) {
      Connection c = publishers.get(p);
      int who = p;
      Thread t =
          new Thread(
              () -> {
                try {
                  go.await();
                } catch (InterruptedException e) {
                  return;
                }
                for (int i = 0; i < 250; i++) {
                  c.receiveText("{\"content\":{\"p\":" + who + ",\"i\":" + i + "}}");
                }
              });
      t.start();
      threads.add(t);
    }
    go.countDown();
    for (Thread t : threads) {
      t.join();
    }
    for (RecordingTransport t : members) {
      Await.until(
          WAIT, () -> t.messages().size() >= 500, () -> "500 messages, got " + t.messages().size());
    }
    Thread.sleep(200); // anything extra (a duplicate) would arrive by now
    List<String> reference = null;
    for (RecordingTransport t : members) {
      List<JsonNode> msgs = t.messages();
      assertThat(msgs).hasSize(500);
      List<Long> offsets = t.offsets();
      for (int i = 0; i < 500; i++) {
        assertThat(offsets.get(i)).isEqualTo(i + 1L);
      }
      assertThat(msgs.stream().map(m -> m.path("epoch").asText()).distinct()).hasSize(1);
      List<String> seq = new ArrayList<>();
      Set<String> distinct = new HashSet<>();
      int[] lastPerPublisher = {-1, -1};
      for (JsonNode m : msgs) {
        JsonNode c = m.path("content");
        seq.add(m.path("offset").asText() + ":" + c);
        distinct.add(c.toString());
        int p = c.path("p").asInt();
        int i = c.path("i").asInt();
        assertThat(i)
            .as("publisher %d's messages in the order sent", p)
            .isGreaterThan(lastPerPublisher[p]);
        lastPerPublisher[p] = i;
      }
      assertThat(distinct).hasSize(500);
      if (reference == null) {
        reference = seq;
      } else {
        assertThat(seq)
            .as("every member sees the same offsets for the same messages")
            .isEqualTo(reference);
      }
      assertThat(t.ofType("error")).isEmpty();
    }
    StreamPosition pa = a.roomPosition(room);
    StreamPosition pb = b.roomPosition(room);
    assertThat(pa).isEqualTo(pb);
    assertThat(pa.offset()).isEqualTo(500);
  }

  @Test
  void serverSidePublishesReachMembersOnBothHubs() throws Exception {
    Hub a = hub("srva");
    Hub b = hub("srvb");
    String room = room();
    RecordingTransport ta = new RecordingTransport();
    RecordingTransport tb = new RecordingTransport();
    a.join(JoinRequest.to(room), ta);
    b.join(JoinRequest.to(room), tb);
    var p1 = a.publish(room, "{\"n\":1}").toCompletableFuture().get();
    var p2 = b.publish(room, "\"two\"").toCompletableFuture().get();
    assertThat(p1.offset()).isEqualTo(1);
    assertThat(p2.offset()).isEqualTo(2);
    assertThat(p2.epoch()).isEqualTo(p1.epoch());
    for (RecordingTransport t : List.of(ta, tb)) {
      Await.until(WAIT, () -> t.messages().size() == 2, "two messages");
      assertThat(t.messages().get(0).path("client_id").asText()).isEqualTo("server");
      assertThat(t.messages().get(1).path("content").asText()).isEqualTo("two");
    }
  }

  @Test
  void subscriptionsDropToZeroWhenRoomsEmpty() {
    Hub a = hub("numa");
    Hub b = hub("numb");
    String room = room();
    String other = room();
    RedisBackplane bp = RedisBackplane.fromUrl(redis.server().uri());
    List<Connection> conns = new ArrayList<>();
    conns.add(a.join(JoinRequest.to(room), new RecordingTransport()));
    conns.add(a.join(JoinRequest.to(room), new RecordingTransport()));
    conns.add(b.join(JoinRequest.to(room), new RecordingTransport()));
    conns.add(b.join(JoinRequest.to(other), new RecordingTransport()));
    assertThat(redis.server().numsub(bp.channelOf(room)))
        .isEqualTo(2); // one per hub, not per member
    assertThat(redis.server().numsub(bp.channelOf(other))).isEqualTo(1);
    conns.get(0).transportClosed();
    assertThat(redis.server().numsub(bp.channelOf(room))).isEqualTo(2); // a still has a member
    for (Connection c : conns) {
      c.close(1000, "bye");
    }
    Await.until(
        WAIT,
        () ->
            redis.server().numsub(bp.channelOf(room)) == 0
                && redis.server().numsub(bp.channelOf(other)) == 0,
        () ->
            "NUMSUB 0, is "
                + redis.server().numsub(bp.channelOf(room))
                + "/"
                + redis.server().numsub(bp.channelOf(other)));
    assertThat(a.roomCount()).isZero();
    assertThat(b.roomCount()).isZero();
  }

  @Test
  void aClientResumesOnTheOtherHubWithExactlyWhatItMissed() throws Exception {
    Hub a = hub("resa");
    Hub b = hub("resb");
    String room = room();
    RecordingTransport ta = new RecordingTransport();
    Connection ca = a.join(JoinRequest.to(room), ta);
    RecordingTransport stay = new RecordingTransport();
    b.join(JoinRequest.to(room), stay);
    for (int i = 1; i <= 5; i++) {
      b.publish(room, Integer.toString(i)).toCompletableFuture().get();
    }
    Await.until(WAIT, () -> ta.messages().size() == 5, "a's client has 5");
    JsonNode last = ta.messages().get(4);
    ca.transportClosed(); // the client drops
    for (int i = 6; i <= 9; i++) {
      b.publish(room, Integer.toString(i)).toCompletableFuture().get();
    }
    // ... and comes back through the other instance
    RecordingTransport resumed = new RecordingTransport();
    StreamPosition from =
        new StreamPosition(last.path("epoch").asText(), last.path("offset").asLong());
    b.join(JoinRequest.to(room).resumingFrom(from), resumed);
    Await.until(WAIT, () -> resumed.messages().size() == 4, () -> "resumed: " + resumed.frames());
    JsonNode welcome = resumed.first();
    assertThat(welcome.path("recovered").asBoolean()).isTrue();
    assertThat(resumed.offsets()).containsExactly(6L, 7L, 8L, 9L);
    assertThat(resumed.messages().get(0).path("content").asInt()).isEqualTo(6);
  }
}
