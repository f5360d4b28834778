package dev.roomcast.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roomcast.spi.OutboundFrame;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The merge and skip rules at the seam between history and live traffic, as pure logic. */
class ResumeSeamTest {
  private static OutboundFrame message(String epoch, long offset) {
    return OutboundFrame.roomMessage("{\"offset\":" + offset + "}", epoch, offset, -1);
  }

  private static OutboundFrame notice() {
    return OutboundFrame.system("{\"type\":\"system\"}");
  }

  @Test
  void liveFramesAreHeldThenWhatHistoryCoveredIsSkipped() {
    ResumeSeam seam = new ResumeSeam(100, 1 << 20);
    seam.hold();
    OutboundFrame m5 = message("e", 5);
    OutboundFrame n = notice();
    OutboundFrame m6 = message("e", 6);
    OutboundFrame m7 = message("e", 7);
    for (OutboundFrame f : List.of(m5, n, m6, m7)) {
      assertThat(seam.offer(f)).isEqualTo(ResumeSeam.Offer.HELD);
    }
    assertThat(seam.firstHeldOffset()).isEqualTo(5);
    // history gave everything up to 6
    List<OutboundFrame> held = seam.finish("e", 6);
    assertThat(held).containsExactly(m5, n, m6, m7);
    assertThat(held.stream().map(seam::offer).toList())
        .containsExactly(
            ResumeSeam.Offer.SKIP,
            ResumeSeam.Offer.SEND,
            ResumeSeam.Offer.SKIP,
            ResumeSeam.Offer.SEND);
    assertThat(seam.isHolding()).isFalse();
  }

  @Test
  void afterTheSeamADuplicateIsSkippedAndANewEpochIsNot() {
    ResumeSeam seam = new ResumeSeam(100, 1 << 20);
    assertThat(seam.offer(message("e", 1))).isEqualTo(ResumeSeam.Offer.SEND);
    assertThat(seam.offer(message("e", 1))).isEqualTo(ResumeSeam.Offer.SKIP);
    assertThat(seam.offer(message("e", 2))).isEqualTo(ResumeSeam.Offer.SEND);
    assertThat(seam.offer(message("f", 1))).isEqualTo(ResumeSeam.Offer.SEND);
    assertThat(seam.offer(notice())).isEqualTo(ResumeSeam.Offer.SEND);
  }

  @Test
  void aHoldPastItsBoundOverflowsAndLetsGo() {
    ResumeSeam seam = new ResumeSeam(2, 1 << 20);
    seam.hold();
    assertThat(seam.offer(message("e", 1))).isEqualTo(ResumeSeam.Offer.HELD);
    assertThat(seam.offer(message("e", 2))).isEqualTo(ResumeSeam.Offer.HELD);
    assertThat(seam.offer(message("e", 3))).isEqualTo(ResumeSeam.Offer.OVERFLOW);
    assertThat(seam.isHolding()).isFalse();
    assertThat(seam.firstHeldOffset()).isEqualTo(Long.MAX_VALUE);
  }

  @Test
  void aQuietRoomHoldsNothingAndFinishesEmpty() {
    ResumeSeam seam = new ResumeSeam(100, 1 << 20);
    seam.hold();
    assertThat(seam.firstHeldOffset()).isEqualTo(Long.MAX_VALUE);
    assertThat(seam.finish("e", 9)).isEmpty();
    assertThat(seam.offer(message("e", 9))).isEqualTo(ResumeSeam.Offer.SKIP);
    assertThat(seam.offer(message("e", 10))).isEqualTo(ResumeSeam.Offer.SEND);
  }
}
