package dev.roomcast;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roomcast.spi.BackplaneListener;
import dev.roomcast.spi.BackplaneNode;
import dev.roomcast.spi.HistoryPage;
import dev.roomcast.spi.MessageDraft;
import dev.roomcast.spi.RoomMessage;
import dev.roomcast.spi.RoomNotice;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/** The history ring grows as a room's messages arrive and keeps exactly its capacity once full. */
class InMemoryBackplaneHistoryTest {
  private static final BackplaneListener IGNORE =
      new BackplaneListener() {
        @Override
        public void onMessage(RoomMessage message) {}

        @Override
        public void onNotice(RoomNotice notice) {}

        @Override
        public void onLost(Throwable cause) {}

        @Override
        public void onRestored() {}
      };

  @Test
  void everyRetainedOffsetIsReadableWhileTheRingGrowsAndWraps() throws Exception {
    int capacity = 100;
    InMemoryBackplane backplane = InMemoryBackplane.create(capacity, 10);
    try (BackplaneNode node = backplane.attach("n", IGNORE)) {
      String epoch = null;
      for (int i = 1; i <= 3 * capacity + 7; i++) {
        RoomMessage m =
            node.publish(
                    new MessageDraft("r", "u", "{\"i\":" + i + "}", "2026-01-01T00:00:00Z", "n"))
                .toCompletableFuture()
                .get();
        epoch = m.epoch();
        long oldest = Math.max(1, i - capacity + 1);
        HistoryPage page =
            node.readHistory("r", epoch, oldest - 1, 1000).toCompletableFuture().get();
        assertThat(page.complete()).as("after %d messages", i).isTrue();
        assertThat(page.messages())
            .as("after %d messages", i)
            .extracting(RoomMessage::offset)
            .containsExactlyElementsOf(LongStream.rangeClosed(oldest, i).boxed().toList());
        assertThat(page.messages().get(page.messages().size() - 1).contentJson())
            .isEqualTo("{\"i\":" + i + "}");
        if (oldest > 1) {
          HistoryPage gone =
              node.readHistory("r", epoch, oldest - 2, 1000).toCompletableFuture().get();
          assertThat(gone.complete()).as("offset %d was trimmed", oldest - 1).isFalse();
        }
      }
    }
  }
}
