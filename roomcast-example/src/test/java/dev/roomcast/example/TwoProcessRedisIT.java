package dev.roomcast.example;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.roomcast.jakarta.testkit.WsClient;
import dev.roomcast.redis.RedisServer;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/**
 * Two example-server processes (the shaded jar) sharing a test-started {@code redis-server} with an
 * append-only file fsynced on every write: rooms span both instances, and a Redis crash and restart
 * loses nothing that was acknowledged.
 */
class TwoProcessRedisIT {
  static final ObjectMapper JSON = new ObjectMapper();
  static RedisServer redis;
  static JarProcess a;
  static JarProcess b;

  @BeforeAll
  static void start() throws Exception {
    redis = RedisServer.startPersistent();
    Map<String, String> env =
        Map.of("REDIS_URL", redis.uri(), "ROOMCAST_PUBLISH_BURST", "1000", "LOG_LEVEL", "info");
    a = JarProcess.start(env);
    b = JarProcess.start(env);
  }

  @AfterAll
  static void stop() throws Exception {
    if (a != null) {
      a.close();
    }
    if (b != null) {
      b.close();
    }
    if (redis != null) {
      redis.close();
    }
  }

  /**
   * Connects to {@code room} on {@code server} once some instance has subscribed to the room's
   * Redis channel. Join notices are live only: one published before the other instance's
   * subscription is active is not seen there, which is not what this test is about.
   */
  static WsClient connectOnceSubscribed(JarProcess server, String room) throws Exception {
    TestServer.await(
        "an instance subscribed to room " + room,
        Duration.ofSeconds(10),
        () -> {
          try (Jedis j = redis.client()) {
            return !j.pubsubChannels("*" + room + "*").isEmpty();
          }
        });
    return WsClient.connect(server.ws("/" + room));
  }

  @Test
  void joinsLeavesAndFiveHundredMessagesAcrossTwoProcessesInOrderExactlyOnce() throws Exception {
    try (WsClient onA = WsClient.connect(a.ws("/shared"));
        WsClient onB = connectOnceSubscribed(b, "shared")) {
      onA.next("system");
      String idB = onB.next("system").path("client_id").asText();
      // join and leave of members on B, seen on A
      assertThat(onA.next("system").path("message").asText()).isEqualTo(idB + " joined the room");
      String idB2;
      try (WsClient visitor = WsClient.connect(b.ws("/shared"))) {
        idB2 = visitor.next("system").path("client_id").asText();
        assertThat(onA.next("system").path("message").asText())
            .isEqualTo(idB2 + " joined the room");
      }
      assertThat(onA.next("system").path("message").asText()).isEqualTo(idB2 + " left the room");
      assertThat(idB2).startsWith("user-").isNotEqualTo(idB);
      SseClient sseOnB = SseClient.open(b.http("/events/shared"));
      sseOnB.next("system");

      // 250 from each instance, concurrently
      Thread fromB =
          new Thread(
              () -> {
                for (int i = 0; i < 250; i++) {
                  onB.send("{\"content\":\"b" + i + "\"}");
                }
              });
      fromB.start();
      for (int i = 0; i < 250; i++) {
        onA.send("{\"content\":\"a" + i + "\"}");
      }
      fromB.join(30_000);

      List<List<String>> views = new ArrayList<>();
      for (WsClient member : List.of(onA, onB)) {
        views.add(contents(member, 500));
      }
      List<String> sseView = new ArrayList<>();
      long next = -1;
      for (SseClient.Event e : sseOnB.messages(500)) {
        JsonNode m = e.json();
        if (next >= 0) {
          assertThat(m.path("offset").asLong()).as("contiguous offsets over SSE").isEqualTo(next);
        }
        next = m.path("offset").asLong() + 1;
        sseView.add(m.path("content").asText());
      }
      views.add(sseView);
      for (List<String> view : views) {
        assertThat(view)
            .as("every member sees the same 500, in the same order")
            .isEqualTo(views.get(0));
        assertThat(new HashSet<>(view)).as("no duplicates").hasSize(500);
        assertThat(view.stream().filter(c -> c.startsWith("a")).toList())
            .as("each sender's order kept")
            .isEqualTo(sequence("a"));
        assertThat(view.stream().filter(c -> c.startsWith("b")).toList()).isEqualTo(sequence("b"));
      }
      onA.assertNoFrameWithin(Duration.ofMillis(300));
      sseOnB.close();
    }
  }

  private static List<String> sequence(String prefix) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < 250; i++) {
      out.add(prefix + i);
    }
    return out;
  }

  /** The next n room messages' contents; offsets must be contiguous. */
  private static List<String> contents(WsClient member, int n) {
    List<String> out = new ArrayList<>();
    long next = -1;
    for (int i = 0; i < n; i++) {
      JsonNode m = member.next("message");
      long offset = m.path("offset").asLong();
      if (next >= 0) {
        assertThat(offset).as("contiguous offsets").isEqualTo(next);
      }
      next = offset + 1;
      out.add(m.path("content").asText());
    }
    return out;
  }

  @Test
  void redisKilledMidStreamAndRestartedLosesNothingAcknowledged() throws Exception {
    String room = "crash";
    try (WsClient onA = WsClient.connect(a.ws("/" + room));
        WsClient onB = WsClient.connect(b.ws("/" + room))) {
      onA.next("system");
      onB.next("system");
      long outagesBefore = a.metrics().path("roomcast").path("backplane_outages").asLong();
      Map<Integer, Long> acked = new ConcurrentHashMap<>();
      AtomicInteger refused = new AtomicInteger();
      List<String> unexpected = new java.util.concurrent.CopyOnWriteArrayList<>();
      AtomicBoolean stop = new AtomicBoolean();
      Thread publisher =
          new Thread(
              () -> {
                for (int i = 1; !stop.get(); i++) {
                  HttpResponse<String> r = (i % 2 == 0 ? a : b).publish(room, Integer.toString(i));
                  if (r.statusCode() == 200) {
                    try {
                      acked.put(i, JSON.readTree(r.body()).path("offset").asLong());
                    } catch (Exception e) {
                      throw new AssertionError(e);
                    }
                  } else if (r.statusCode() == 503) {
                    refused.incrementAndGet();
                  } else {
                    unexpected.add(r.statusCode() + " " + r.body());
                  }
                  sleep(5);
                }
              },
              "publisher");
      publisher.start();
      try {
        TestServer.await("traffic", Duration.ofSeconds(20), () -> acked.size() >= 50);
        redis.kill();
        TestServer.await(
            "/ready 503 on both",
            Duration.ofSeconds(15),
            () -> a.readyStatus() == 503 && b.readyStatus() == 503);
        sleep(500);
        redis.restart();
        long restartedAt = System.nanoTime();
        TestServer.await(
            "/ready 200 on both",
            Duration.ofSeconds(20),
            () -> a.readyStatus() == 200 && b.readyStatus() == 200);
        int ackedAtRestore = acked.size();
        TestServer.await(
            "traffic flows again",
            Duration.ofSeconds(10),
            () -> acked.size() >= ackedAtRestore + 50);
        long recoveredMs = (System.nanoTime() - restartedAt) / 1_000_000;
        assertThat(recoveredMs).as("ms from restart to traffic").isLessThan(15_000);
      } finally {
        stop.set(true);
        publisher.join(20_000);
      }
      assertThat(unexpected).isEmpty();
      assertThat(refused.get()).as("publishes refused during the outage").isPositive();
      assertThat(a.metrics().path("roomcast").path("backplane_outages").asLong())
          .isGreaterThan(outagesBefore);

      long maxAcked = acked.values().stream().mapToLong(Long::longValue).max().orElseThrow();
      for (WsClient member : List.of(onA, onB)) {
        Map<Long, Integer> byOffset = new HashMap<>();
        Set<Integer> contents = new HashSet<>();
        String epoch = null;
        long next = -1;
        while (next <= maxAcked) {
          JsonNode m = member.next("message");
          long offset = m.path("offset").asLong();
          if (next >= 0) {
            assertThat(offset).as("contiguous, once each").isEqualTo(next);
          }
          next = offset + 1;
          if (epoch == null) {
            epoch = m.path("epoch").asText();
          }
          assertThat(m.path("epoch").asText()).as("one epoch: nothing was lost").isEqualTo(epoch);
          byOffset.put(offset, m.path("content").asInt());
          assertThat(contents.add(m.path("content").asInt())).as("no duplicate").isTrue();
        }
        for (Map.Entry<Integer, Long> e : acked.entrySet()) {
          assertThat(byOffset.get(e.getValue()))
              .as("acknowledged message " + e.getKey() + " at offset " + e.getValue())
              .isEqualTo(e.getKey());
        }
      }
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
