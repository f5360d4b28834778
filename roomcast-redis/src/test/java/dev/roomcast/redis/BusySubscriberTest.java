package dev.roomcast.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roomcast.spi.BackplaneListener;
import dev.roomcast.spi.BackplaneNode;
import dev.roomcast.spi.MessageDraft;
import dev.roomcast.spi.RoomMessage;
import dev.roomcast.spi.RoomNotice;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A subscriber that is busy is not a dead one: a hub fans every message out on the subscriber
 * thread, so on a loaded machine the PONG can wait behind seconds of room traffic. That is no
 * outage while the connection keeps delivering (seen as false outages under load in the topology
 * benchmark); a stalled server is still noticed by the silence ({@link HalfOpenTest}).
 */
class BusySubscriberTest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final int MESSAGES = 150;

  @RegisterExtension static final RedisExtension redis = RedisExtension.ephemeral();

  @Test
  void aPongBehindABacklogOfTrafficIsNoOutage() throws Exception {
    RedisBackplane bp =
        redis
            .backplane()
            .pingInterval(Duration.ofMillis(100))
            .socketTimeout(Duration.ofMillis(400))
            // the probes wait behind the same backlog; this test is about the PING deadline
            .deliveryProbeMisses(1000)
            .build();
    RecordingListener busy = new RecordingListener();
    BackplaneListener slowHub =
        new BackplaneListener() {
          @Override
          public void onMessage(RoomMessage message) {
            busy.onMessage(message);
            try {
              Thread.sleep(20); // a hub's fan-out to its members on a starved machine
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }

          @Override
          public void onNotice(RoomNotice notice) {
            busy.onNotice(notice);
          }

          @Override
          public void onLost(Throwable cause) {
            busy.onLost(cause);
          }

          @Override
          public void onRestored() {
            busy.onRestored();
          }
        };
    BackplaneNode slow = redis.attach(bp, "busy", slowHub);
    BackplaneNode sender = redis.attach(bp, "sender", new RecordingListener());
    String room = "backlog";
    slow.subscribe(room);
    List<CompletableFuture<RoomMessage>> sent = new ArrayList<>();
    for (int i = 0; i < MESSAGES; i++) {
      sent.add(
          sender
              .publish(
                  new MessageDraft(room, "c", Integer.toString(i), "2026-01-01T00:00:00Z", "s"))
              .toCompletableFuture());
    }
    CompletableFuture.allOf(sent.toArray(new CompletableFuture<?>[0])).get(10, TimeUnit.SECONDS);
    // about 3 s of backlog, far more than the 400 ms PONG deadline
    Await.until(
        WAIT,
        () -> busy.in(room).size() == MESSAGES,
        () -> "every message read: " + busy.in(room).size());
    assertThat(busy.lost.get()).as("no outage while the connection delivers").isZero();
    assertThat(slow.isHealthy()).isTrue();
  }
}
