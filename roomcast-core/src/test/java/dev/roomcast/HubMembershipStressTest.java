package dev.roomcast;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.roomcast.testing.RecordingTransport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** Room lifecycle and thread safety under concurrent joins, leaves and broadcasts. */
class HubMembershipStressTest {

  @Test
  void hundredThousandRoomsCreatedAndEmptiedLeaveTheRegistryEmpty() {
    try (Hub hub =
        Hub.builder()
            .notices(NoticePolicy.never())
            .limits(Limits.defaults().withMaxRooms(200_000).withMaxConnections(200_000))
            .build()) {
      List<Connection> open = new ArrayList<>();
      for (int i = 0; i < 100_000; i++) {
        open.add(hub.join(JoinRequest.to("room-" + i), new RecordingTransport()));
        if (open.size() == 1000) {
          assertThat(hub.roomCount()).isEqualTo(1000);
          open.forEach(Connection::transportClosed);
          open.clear();
        }
      }
      assertThat(hub.roomCount()).isZero();
      assertThat(hub.roomSizes()).isEmpty();
      assertThat(hub.metrics().connections()).isZero();
      assertThat(hub.metrics().connectionsClosed()).isEqualTo(100_000);
    }
  }

  @Test
  void concurrentJoinsLeavesAndBroadcastsLoseNothingAndDuplicateNothing() throws Exception {
    Limits lenient = Limits.defaults().withPublishRate(1e9, 1_000_000);
    try (Hub hub = Hub.builder().limits(lenient).build()) {
      String room = "busy";
      int stable = 20;
      List<RecordingTransport> stableTransports = new ArrayList<>();
      List<Connection> senders = new ArrayList<>();
      for (int i = 0; i < stable; i++) {
        RecordingTransport t = new RecordingTransport();
        stableTransports.add(t);
        senders.add(hub.join(JoinRequest.to(room), t));
      }
      int publishers = 4;
      int perPublisher = 500;
      ExecutorService pool = Executors.newFixedThreadPool(publishers + 3);
      CountDownLatch start = new CountDownLatch(1);
      AtomicBoolean publishing = new AtomicBoolean(true);
      List<Future<?>> work = new ArrayList<>();
      for (int p = 0; p < publishers; p++) {
        Connection sender = senders.get(p);
        int id = p;
        work.add(
            pool.submit(
                () -> {
                  start.await();
                  for (int i = 0; i < perPublisher; i++) {
                    sender.receiveText("{\"content\":{\"p\":" + id + ",\"i\":" + i + "}}");
                  }
                  return null;
                }));
      }
      List<RecordingTransport> churned = new java.util.concurrent.CopyOnWriteArrayList<>();
      for (int c = 0; c < 3; c++) {
        work.add(
            pool.submit(
                () -> {
                  start.await();
                  while (publishing.get()) {
                    RecordingTransport t = new RecordingTransport();
                    Connection conn = hub.join(JoinRequest.to(room), t);
                    churned.add(t);
                    hub.join(
                            JoinRequest.to("side-" + Thread.currentThread().getId()),
                            new RecordingTransport())
                        .transportClosed();
                    conn.transportClosed();
                  }
                  return null;
                }));
      }
      start.countDown();
      for (int p = 0; p < publishers; p++) {
        work.get(p).get(60, TimeUnit.SECONDS);
      }
      publishing.set(false);
      for (Future<?> f : work) {
        f.get(60, TimeUnit.SECONDS);
      }
      pool.shutdown();

      int total = publishers * perPublisher;
      for (RecordingTransport t : stableTransports) {
        t.awaitType("message", total, Duration.ofSeconds(10));
        List<JsonNode> msgs = t.ofType("message");
        assertThat(msgs).hasSize(total);
        for (int i = 0; i < total; i++) {
          assertThat(msgs.get(i).get("offset").asLong()).isEqualTo(i + 1);
        }
        // per publisher, its messages arrive in the order it sent them
        int[] next = new int[publishers];
        for (JsonNode m : msgs) {
          int p = m.get("content").get("p").asInt();
          assertThat(m.get("content").get("i").asInt()).isEqualTo(next[p]++);
        }
      }
      // every short-lived member saw a contiguous run of offsets after its welcome offset
      for (RecordingTransport t : churned) {
        List<JsonNode> frames = t.json();
        long expected = frames.get(0).get("offset").asLong() + 1;
        for (JsonNode m : t.ofType("message")) {
          assertThat(m.get("offset").asLong()).isEqualTo(expected++);
        }
      }
      assertThat(hub.roomCount()).isEqualTo(1);
      assertThat(hub.roomSize(room)).isEqualTo(stable);
      assertThat(hub.metrics().connections()).isEqualTo(stable);
    }
  }
}
