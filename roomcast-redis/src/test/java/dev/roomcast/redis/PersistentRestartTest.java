package dev.roomcast.redis;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.roomcast.Hub;
import dev.roomcast.JoinRequest;
import dev.roomcast.Published;
import dev.roomcast.StreamPosition;
import dev.roomcast.testing.RecordingTransport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Redis with an append-only file (fsync always) is killed and restarted: nothing acknowledged is
 * lost, and what was published while a hub was away reaches its members through history.
 */
class PersistentRestartTest {
  private static final Duration WAIT = Duration.ofSeconds(20);
  @RegisterExtension static final RedisExtension redis = RedisExtension.persistent();

  private static Published publish(Hub hub, String room, String content) throws Exception {
    return hub.publish(room, content).toCompletableFuture().get();
  }

  @Test
  void aCrashLosesNothingAndTheSlowerHubCatchesUpFromHistory() throws Exception {
    // a reconnects at once; b waits 2 s, so a publishes while b is away
    Hub a = redis.hub("pa", redis.backplane().build());
    Hub b =
        redis.hub(
            "pb",
            redis.backplane().backoff(RedisExtension.fixedBackoff(Duration.ofSeconds(2))).build());
    String room = "persist";
    RecordingTransport ma = new RecordingTransport();
    RecordingTransport mb = new RecordingTransport();
    a.join(JoinRequest.to(room), ma);
    b.join(JoinRequest.to(room), mb);
    List<Published> sent = new ArrayList<>();
    for (int i = 1; i <= 5; i++) {
      sent.add(publish(a, room, Integer.toString(i)));
    }
    Await.until(WAIT, () -> mb.messages().size() == 5, "b's member has the first 5");
    String epoch = sent.get(0).epoch();

    redis.server().kill();
    Await.until(WAIT, () -> !a.isReady() && !b.isReady(), "both hubs notice the crash");
    redis.server().restart();
    Await.until(WAIT, a::isReady, "a reconnects");
    assertThat(b.isReady()).as("b is still waiting out its backoff").isFalse();
    for (int i = 6; i <= 10; i++) {
      sent.add(publish(a, room, Integer.toString(i)));
    }
    assertThat(sent).extracting(Published::epoch).containsOnly(epoch);
    assertThat(sent)
        .extracting(Published::offset)
        .containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L);

    Await.until(WAIT, b::isReady, "b reconnects");
    Await.until(
        WAIT, () -> mb.messages().size() == 10, () -> "b's member catches up: " + mb.offsets());
    assertThat(mb.offsets()).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L);
    assertThat(mb.messages().get(9).path("content").asInt()).isEqualTo(10);
    assertThat(mb.ofType("error")).isEmpty();

    // live traffic flows both ways again, in the same epoch
    Published fromB = publish(b, room, "\"back\"");
    assertThat(fromB.offset()).isEqualTo(11);
    assertThat(fromB.epoch()).isEqualTo(epoch);
    Await.until(WAIT, () -> ma.messages().size() == 11, () -> "a hears b: " + ma.offsets());
    assertThat(ma.offsets()).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L, 11L);
    assertThat(redis.server().numsub(RedisBackplane.fromUrl(redis.server().uri()).channelOf(room)))
        .isEqualTo(2);
    assertThat(a.metrics().backplaneOutages()).isEqualTo(1);
    assertThat(b.metrics().backplaneOutages()).isEqualTo(1);

    // and a client that saw offset 3 before the crash resumes with everything after it
    RecordingTransport resumed = new RecordingTransport();
    b.join(JoinRequest.to(room).resumingFrom(new StreamPosition(epoch, 3)), resumed);
    Await.until(WAIT, () -> resumed.messages().size() == 8, () -> "resumed: " + resumed.frames());
    JsonNode welcome = resumed.first();
    assertThat(welcome.path("recovered").asBoolean()).isTrue();
    assertThat(resumed.offsets()).containsExactly(4L, 5L, 6L, 7L, 8L, 9L, 10L, 11L);
  }

  @Test
  void aSubscriberOutageAloneIsCaughtUpFromHistory() throws Exception {
    Hub a = redis.hub("sa", redis.backplane().build());
    Hub b =
        redis.hub(
            "sb",
            redis
                .backplane()
                .backoff(RedisExtension.fixedBackoff(Duration.ofMillis(1500)))
                .build());
    String room = "subout";
    RecordingTransport mb = new RecordingTransport();
    a.join(JoinRequest.to(room), new RecordingTransport());
    b.join(JoinRequest.to(room), mb);
    publish(a, room, "1");
    Await.until(WAIT, () -> mb.messages().size() == 1, "b's member has the first");

    // Redis stays up; only b's subscriber connection is cut
    assertThat(redis.server().killClients("roomcast-sb-sub")).isEqualTo(1);
    Await.until(WAIT, () -> !b.isReady(), "b notices");
    assertThat(a.isReady()).isTrue();
    List<Published> during = new ArrayList<>();
    for (int i = 2; i <= 6; i++) {
      during.add(publish(a, room, Integer.toString(i)));
    }
    Await.until(WAIT, b::isReady, "b is back");
    Await.until(
        WAIT, () -> mb.messages().size() == 6, () -> "b's member catches up: " + mb.offsets());
    assertThat(mb.offsets()).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
  }

  @Test
  void killedMidStreamNoAcknowledgedMessageIsLostAndNothingIsDuplicated() throws Exception {
    Hub a = redis.hub("ma", redis.backplane().build());
    Hub b = redis.hub("mb", redis.backplane().build());
    String room = "midstream";
    RecordingTransport ma = new RecordingTransport();
    RecordingTransport mb = new RecordingTransport();
    a.join(JoinRequest.to(room), ma);
    b.join(JoinRequest.to(room), mb);

    Map<Integer, Long> acked = new ConcurrentHashMap<>();
    AtomicInteger failed = new AtomicInteger();
    AtomicBoolean stop = new AtomicBoolean();
    java.util.Queue<java.util.concurrent.CompletableFuture<?>> inFlight =
        new java.util.concurrent.ConcurrentLinkedQueue<>();
    Thread publisher =
        new Thread(
            () -> {
              for (int i = 1; !stop.get(); i++) {
                int n = i;
                // the future of the bookkeeping itself, so waiting for it covers the map update
                inFlight.add(
                    a.publish(room, Integer.toString(n))
                        .toCompletableFuture()
                        .whenComplete(
                            (p, e) -> {
                              if (e == null) {
                                acked.put(n, p.offset());
                              } else {
                                failed.incrementAndGet();
                              }
                            }));
                try {
                  Thread.sleep(2);
                } catch (InterruptedException e) {
                  return;
                }
              }
            });
    publisher.start();
    Thread.sleep(300);
    redis.server().kill();
    Thread.sleep(300);
    redis.server().restart();
    Await.until(WAIT, () -> a.isReady() && b.isReady(), "both back");
    Thread.sleep(300);
    stop.set(true);
    publisher.join();
    // publishes still in flight would be acknowledged after maxAcked is taken below
    java.util.concurrent.CompletableFuture.allOf(
            inFlight.toArray(new java.util.concurrent.CompletableFuture<?>[0]))
        .handle((v, e) -> null)
        .get(10, java.util.concurrent.TimeUnit.SECONDS);
    assertThat(failed.get()).as("publishes refused during the outage").isPositive();
    long maxAcked = acked.values().stream().mapToLong(Long::longValue).max().orElseThrow();
    for (RecordingTransport member : List.of(ma, mb)) {
      Await.until(
          WAIT,
          () -> {
            List<Long> seen = member.offsets();
            return !seen.isEmpty() && seen.get(seen.size() - 1) >= maxAcked;
          },
          () -> "member reaches offset " + maxAcked);
      List<Long> offsets = member.offsets();
      for (int i = 0; i < offsets.size(); i++) {
        assertThat(offsets.get(i)).as("contiguous, once each").isEqualTo(i + 1L);
      }
      Set<Integer> contents = new HashSet<>();
      for (JsonNode m : member.messages()) {
        contents.add(m.path("content").asInt());
      }
      assertThat(contents).as("every acknowledged message").containsAll(acked.keySet());
      assertThat(member.messages())
          .extracting(m -> m.path("epoch").asText())
          .containsOnly(member.messages().get(0).path("epoch").asText());
    }
  }
}
