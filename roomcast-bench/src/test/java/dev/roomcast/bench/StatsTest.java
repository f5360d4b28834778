package dev.roomcast.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class StatsTest {
  @Test
  void medianOfOddAndEvenCounts() {
    assertThat(Stats.median(List.of(3.0, 1.0, 2.0))).isEqualTo(2.0);
    assertThat(Stats.median(List.of(4.0, 1.0, 3.0, 2.0))).isEqualTo(2.5);
  }

  @Test
  void medianIgnoresMissingValues() {
    assertThat(Stats.median(Arrays.asList(5.0, null, Double.NaN, 7.0, 6.0))).isEqualTo(6.0);
    assertThat(Stats.median(List.of())).isNaN();
  }

  @Test
  void ratioIsUndefinedWithoutBothSides() {
    assertThat(Stats.ratio(3, 2)).isEqualTo(1.5);
    assertThat(Stats.ratio(3, 0)).isNaN();
    assertThat(Stats.ratio(Double.NaN, 2)).isNaN();
    assertThat(Stats.fmtRatio(Stats.ratio(1, 4))).isEqualTo("0.25x");
    assertThat(Stats.fmtRatio(Double.NaN)).isEqualTo("-");
  }

  @Test
  void perUnitNeedsUnits() {
    assertThat(Stats.perUnit(100, 4)).isEqualTo(25.0);
    assertThat(Stats.perUnit(100, 0)).isNaN();
  }

  @Test
  void formatsByMagnitude() {
    assertThat(Stats.fmt(123456.7)).isEqualTo("123457");
    assertThat(Stats.fmt(12.345)).isEqualTo("12.35");
    assertThat(Stats.fmt(0)).isEqualTo("0");
    assertThat(Stats.fmt(Double.NaN)).isEqualTo("-");
  }

  @Test
  void sinkCountsUnseenMessages() {
    Sink s = new Sink(1, 4);
    s.deliver(true, 0, 10, 1);
    s.deliver(true, 2, 10, 2);
    s.deliver(false, 2, 10, 3);
    assertThat(s.unseenMessages(4)).isEqualTo(2);
    assertThat(s.delivered()).isEqualTo(2);
    assertThat(s.deliveredToSlow()).isEqualTo(1);
  }

  @Test
  void configQuickDefaultsAndOverrides() {
    BenchConfig c = BenchConfig.parse(new String[] {"--quick", "--members=7", "--reps", "2"});
    assertThat(c.quick()).isTrue();
    assertThat(c.integer("members")).isEqualTo(7);
    assertThat(c.integer("reps")).isEqualTo(2);
    assertThat(c.integer("idle-conns")).isEqualTo(500);
    assertThat(BenchConfig.parse(new String[0]).integer("idle-conns")).isEqualTo(15000);
  }
}
