package dev.roomcast;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roomcast.spi.Backplane;
import dev.roomcast.spi.BackplaneListener;
import dev.roomcast.spi.BackplaneNode;
import dev.roomcast.spi.HistoryPage;
import dev.roomcast.spi.MessageDraft;
import dev.roomcast.spi.RoomMessage;
import dev.roomcast.spi.RoomNotice;
import dev.roomcast.testing.RecordingTransport;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A first join into a room asks the backplane for the room's position. While the backplane is slow
 * to answer for one room, joins into other rooms (new or not) go ahead at once: nothing holds the
 * room registry while waiting for it.
 */
class SlowBackplaneJoinTest {

  /** The in-memory backplane, with position reads of room "slow" held until released. */
  private static final class SlowPositions implements Backplane {
    final InMemoryBackplane inner = InMemoryBackplane.create();
    final CountDownLatch asked = new CountDownLatch(1);
    final CompletableFuture<Void> release = new CompletableFuture<>();

    @Override
    public BackplaneNode attach(String nodeId, BackplaneListener listener) {
      BackplaneNode n = inner.attach(nodeId, listener);
      return new BackplaneNode() {
        @Override
        public void subscribe(String room) {
          n.subscribe(room);
        }

        @Override
        public void unsubscribe(String room) {
          n.unsubscribe(room);
        }

        @Override
        public CompletionStage<RoomMessage> publish(MessageDraft draft) {
          return n.publish(draft);
        }

        @Override
        public void publishNotice(RoomNotice notice) {
          n.publishNotice(notice);
        }

        @Override
        public CompletionStage<HistoryPage> readHistory(
            String room, String epoch, long afterOffset, int limit) {
          return n.readHistory(room, epoch, afterOffset, limit);
        }

        @Override
        public CompletionStage<StreamPosition> position(String room) {
          if (!room.equals("slow")) {
            return n.position(room);
          }
          asked.countDown();
          return release.thenCompose(v -> n.position(room));
        }

        @Override
        public boolean isHealthy() {
          return n.isHealthy();
        }

        @Override
        public void close() {
          n.close();
        }
      };
    }

    @Override
    public String name() {
      return "slow-positions";
    }
  }

  @Test
  void aSlowPositionReadStallsOnlyTheJoinThatWaitsForIt() throws Exception {
    SlowPositions bp = new SlowPositions();
    try (Hub hub = Hub.builder().backplane(bp).positionTimeout(Duration.ofSeconds(60)).build()) {
      hub.join(JoinRequest.to("busy"), new RecordingTransport());
      CompletableFuture<Connection> slow =
          CompletableFuture.supplyAsync(
              () -> hub.join(JoinRequest.to("slow"), new RecordingTransport()));
      assertThat(bp.asked.await(5, TimeUnit.SECONDS)).isTrue();
      // the slow join cannot finish before the release (its timeout is a minute away), so these
      // returning at all shows they did not wait behind it
      RecordingTransport intoBusy = new RecordingTransport();
      hub.join(JoinRequest.to("busy"), intoBusy);
      hub.join(JoinRequest.to("fresh"), new RecordingTransport());
      assertThat(slow).isNotDone();
      assertThat(intoBusy.json().get(0).get("message").asText()).startsWith("Welcome to room busy");
      bp.release.complete(null);
      Connection c = slow.get(5, TimeUnit.SECONDS);
      assertThat(c.room()).isEqualTo("slow");
      assertThat(hub.roomSize("slow")).isEqualTo(1);
    }
  }
}
