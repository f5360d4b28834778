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

/**
 * The history ring grows as a room's messages arrive and keeps exactly its capacity once full;
 * history is bounded in bytes per room and for all rooms, oldest first.
 */
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

  @Test
  void aRoomKeepsNoMoreBytesThanItsBoundAndOlderResumesAreNotRecovered() throws Exception {
    InMemoryBackplane backplane =
        InMemoryBackplane.builder().historyBytesPerRoom(50_000).historyBytesTotal(1L << 30).build();
    try (BackplaneNode node = backplane.attach("n", IGNORE)) {
      String content = "\"" + "x".repeat(10_000) + "\"";
      RoomMessage last = null;
      for (int i = 0; i < 100; i++) {
        last = publish(node, "big", content);
      }
      assertThat(backplane.historyBytes()).isLessThanOrEqualTo(50_000);
      HistoryPage kept =
          node.readHistory("big", last.epoch(), 96, 1000).toCompletableFuture().get();
      assertThat(kept.complete()).isTrue();
      assertThat(kept.messages())
          .extracting(RoomMessage::offset)
          .containsExactly(97L, 98L, 99L, 100L);
      HistoryPage gone = node.readHistory("big", last.epoch(), 0, 1000).toCompletableFuture().get();
      assertThat(gone.complete()).isFalse();
      assertThat(gone.headOffset()).isEqualTo(100);
    }
  }

  @Test
  void oneMessageLargerThanTheRoomBoundIsStillKept() throws Exception {
    InMemoryBackplane backplane = InMemoryBackplane.builder().historyBytesPerRoom(1_000).build();
    try (BackplaneNode node = backplane.attach("n", IGNORE)) {
      RoomMessage m = publish(node, "r", "\"" + "y".repeat(5_000) + "\"");
      HistoryPage page = node.readHistory("r", m.epoch(), 0, 10).toCompletableFuture().get();
      assertThat(page.complete()).isTrue();
      assertThat(page.messages()).hasSize(1);
    }
  }

  @Test
  void theTotalBoundDropsTheOldestMessagesOfAnyRoomFirst() throws Exception {
    String content = "\"" + "z".repeat(1_000) + "\"";
    int perMessage =
        InMemoryBackplane.estimatedBytes(
            new RoomMessage("r0", "e", 1, "u", content, "2026-01-01T00:00:00Z", "n"));
    // Room r0 fills first, r9 last; the bound holds about half of it all.
    long total = 50L * perMessage;
    InMemoryBackplane backplane = InMemoryBackplane.builder().historyBytesTotal(total).build();
    try (BackplaneNode node = backplane.attach("n", IGNORE)) {
      String[] epochs = new String[10];
      for (int room = 0; room < 10; room++) {
        for (int i = 0; i < 10; i++) {
          epochs[room] = publish(node, "r" + room, content).epoch();
        }
        assertThat(backplane.historyBytes()).isLessThanOrEqualTo(total);
      }
      for (int room = 0; room < 10; room++) {
        HistoryPage all =
            node.readHistory("r" + room, epochs[room], 0, 100).toCompletableFuture().get();
        if (room < 5) {
          assertThat(all.complete()).as("room r%d filled early", room).isFalse();
        } else if (room >= 6) {
          assertThat(all.complete()).as("room r%d filled late", room).isTrue();
          assertThat(all.messages()).hasSize(10);
        }
      }
    }
  }

  private static RoomMessage publish(BackplaneNode node, String room, String content)
      throws Exception {
    return node.publish(new MessageDraft(room, "u", content, "2026-01-01T00:00:00Z", "n"))
        .toCompletableFuture()
        .get();
  }
}
