package dev.roomcast.redis;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.roomcast.Hub;
import dev.roomcast.JoinRequest;
import dev.roomcast.Published;
import dev.roomcast.StreamPosition;
import dev.roomcast.testing.RecordingTransport;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Redis without persistence restarts: subscriptions come back and traffic flows within seconds, but
 * the history is gone, so rooms start a new epoch and resuming clients hear {@code recovered:
 * false} instead of getting a silent gap.
 */
class EphemeralRestartTest {
  private static final Duration WAIT = Duration.ofSeconds(20);
  @RegisterExtension static final RedisExtension redis = RedisExtension.ephemeral();

  @Test
  void afterARestartWithoutPersistenceRoomsStartANewEpochHonestly() throws Exception {
    Hub a = redis.hub("ea", redis.backplane().build());
    Hub b = redis.hub("eb", redis.backplane().build());
    String room = "ephemeral";
    RecordingTransport ma = new RecordingTransport();
    RecordingTransport mb = new RecordingTransport();
    a.join(JoinRequest.to(room), ma);
    b.join(JoinRequest.to(room), mb);
    Published last = null;
    for (int i = 1; i <= 5; i++) {
      last = a.publish(room, Integer.toString(i)).toCompletableFuture().get();
    }
    Await.until(WAIT, () -> mb.messages().size() == 5, "b's member has 5");
    String oldEpoch = last.epoch();

    redis.server().kill();
    Await.until(WAIT, () -> !a.isReady() && !b.isReady(), "both notice");
    redis.server().restart();
    long restarted = System.nanoTime();
    Await.until(WAIT, () -> a.isReady() && b.isReady(), "both reconnect");
    String channel = RedisBackplane.fromUrl(redis.server().uri()).channelOf(room);
    assertThat(redis.server().numsub(channel)).as("subscriptions restored").isEqualTo(2);

    // live traffic flows again, in a new epoch starting at 1
    Published fresh = b.publish(room, "\"after\"").toCompletableFuture().get();
    assertThat(fresh.epoch()).isNotEqualTo(oldEpoch);
    assertThat(fresh.offset()).isEqualTo(1);
    Await.until(WAIT, () -> ma.messages().size() == 6, () -> "a hears b: " + ma.frames());
    long seconds = Duration.ofNanos(System.nanoTime() - restarted).toSeconds();
    assertThat(seconds).as("traffic flows within seconds of the restart").isLessThan(10);
    JsonNode m = ma.messages().get(5);
    assertThat(m.path("epoch").asText()).isEqualTo(fresh.epoch());
    assertThat(m.path("offset").asLong()).isEqualTo(1);
    assertThat(ma.ofType("error")).isEmpty();

    // a client that saw offset 5 of the old epoch is told it was not recovered, then gets what
    // the new epoch holds
    RecordingTransport resumed = new RecordingTransport();
    a.join(JoinRequest.to(room).resumingFrom(new StreamPosition(oldEpoch, 5)), resumed);
    Await.until(WAIT, () -> resumed.messages().size() == 1, () -> "replay: " + resumed.frames());
    JsonNode welcome = resumed.first();
    assertThat(welcome.path("recovered").asBoolean(true)).isFalse();
    assertThat(welcome.path("epoch").asText()).isEqualTo(fresh.epoch());
    assertThat(welcome.path("offset").asLong()).isZero();
    assertThat(resumed.messages().get(0).path("content").asText()).isEqualTo("after");
  }
}
