package dev.roomcast.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roomcast.StreamPosition;
import dev.roomcast.spi.RoomMessage;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The delivery-order rules as pure logic: no hub, no threads, no timers. */
class RoomSequencerTest {
  private final List<String> events = new ArrayList<>();
  private final RoomSequencer.Sink sink =
      new RoomSequencer.Sink() {
        @Override
        public void deliver(RoomMessage m, Member except) {
          events.add(m.epoch() + ":" + m.offset());
        }

        @Override
        public void gapOpened() {
          events.add("gap");
        }

        @Override
        public void gapClosed() {
          events.add("closed");
        }

        @Override
        public void skipped(long count) {
          events.add("skipped " + count);
        }
      };

  private static RoomMessage m(String epoch, long offset) {
    return new RoomMessage("r", epoch, offset, "c", "1", "2026-12-02T00:00:00Z", "n");
  }

  @Test
  void inOrderMessagesAreDeliveredAndDuplicatesDropped() {
    RoomSequencer s = new RoomSequencer(new StreamPosition("e", 3), 10, sink);
    s.offer(m("e", 4), null);
    s.offer(m("e", 4), null);
    s.offer(m("e", 2), null);
    s.offer(m("e", 5), null);
    assertThat(events).containsExactly("e:4", "e:5");
    assertThat(s.position()).isEqualTo(new StreamPosition("e", 5));
  }

  @Test
  void anEarlyMessageWaitsForTheMissingOneThenBothGoInOrder() {
    RoomSequencer s = new RoomSequencer(new StreamPosition("e", 0), 10, sink);
    s.offer(m("e", 3), null);
    s.offer(m("e", 2), null);
    assertThat(s.hasGap()).isTrue();
    s.offer(m("e", 1), null);
    assertThat(events).containsExactly("gap", "e:1", "e:2", "e:3", "closed");
    assertThat(s.hasGap()).isFalse();
  }

  @Test
  void skippingAGapCountsWhatWasGivenUpAndDeliversWhatWaited() {
    RoomSequencer s = new RoomSequencer(new StreamPosition("e", 0), 10, sink);
    s.offer(m("e", 4), null);
    s.offer(m("e", 5), null);
    s.skipGap();
    s.offer(m("e", 2), null); // arrives too late: already given up on
    assertThat(events).containsExactly("gap", "skipped 3", "e:4", "e:5", "closed");
  }

  @Test
  void tooManyEarlyMessagesSkipTheGapAtOnce() {
    RoomSequencer s = new RoomSequencer(new StreamPosition("e", 0), 2, sink);
    s.offer(m("e", 3), null);
    s.offer(m("e", 4), null);
    s.offer(m("e", 5), null);
    assertThat(events).containsExactly("gap", "skipped 2", "e:3", "e:4", "e:5", "closed");
  }

  @Test
  void aNewEpochStartsTheCountAgainAndForgetsWhatWaited() {
    RoomSequencer s = new RoomSequencer(new StreamPosition("old", 7), 10, sink);
    s.offer(m("old", 9), null);
    s.offer(m("new", 1), null);
    s.offer(m("new", 2), null);
    assertThat(events).containsExactly("gap", "closed", "new:1", "new:2");
    assertThat(s.position()).isEqualTo(new StreamPosition("new", 2));
  }

  @Test
  void anUnknownStartTakesTheFirstMessagesPosition() {
    RoomSequencer s = new RoomSequencer(null, 10, sink);
    assertThat(s.position()).isNull();
    s.offer(m("e", 41), null);
    s.offer(m("e", 42), null);
    assertThat(events).containsExactly("e:41", "e:42");
  }

  @Test
  void movingToAPositionDropsWhatWaited() {
    RoomSequencer s = new RoomSequencer(new StreamPosition("e", 0), 10, sink);
    s.offer(m("e", 5), null);
    s.moveTo("e2", 10);
    s.offer(m("e2", 11), null);
    assertThat(events).containsExactly("gap", "closed", "e2:11");
  }
}
