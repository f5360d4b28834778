package dev.roomcast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BackoffPolicyTest {

  @Test
  void seededFullJitterSequenceIsPinned() {
    Random r = new Random(42);
    BackoffPolicy p = BackoffPolicy.builder().random(r::nextDouble).build();
    List<Long> delays = new ArrayList<>();
    for (int i = 1; i <= 8; i++) {
      delays.add(p.delayMillis(i).getAsLong());
    }
    // Same formula, same seed: recomputed by hand from java.util.Random(42).
    Random check = new Random(42);
    List<Long> expected = new ArrayList<>();
    double[] ceilings = {1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000};
    for (double c : ceilings) {
      expected.add((long) Math.floor(c * check.nextDouble()));
    }
    assertThat(delays).isEqualTo(expected);
    assertThat(delays).containsExactly(727L, 1366L, 1234L, 2216L, 10648L, 27101L, 11063L, 8272L);
  }

  @Test
  void ceilingGrowsExponentiallyAndIsCapped() {
    BackoffPolicy p =
        BackoffPolicy.builder()
            .jitter(BackoffPolicy.Jitter.NONE)
            .initialDelay(Duration.ofMillis(100))
            .maxDelay(Duration.ofSeconds(5))
            .build();
    assertThat(p.delayMillis(1).getAsLong()).isEqualTo(100);
    assertThat(p.delayMillis(2).getAsLong()).isEqualTo(200);
    assertThat(p.delayMillis(6).getAsLong()).isEqualTo(3200);
    assertThat(p.delayMillis(7).getAsLong()).isEqualTo(5000);
  }

  @Test
  void anyAttemptNumberStaysWithinBounds() {
    BackoffPolicy full = BackoffPolicy.builder().random(() -> 0.999999).build();
    BackoffPolicy none = BackoffPolicy.builder().jitter(BackoffPolicy.Jitter.NONE).build();
    for (int attempt : new int[] {31, 63, 64, 1000, 1 << 20, Integer.MAX_VALUE}) {
      assertThat(full.delayMillis(attempt).getAsLong()).isBetween(0L, 30_000L);
      assertThat(none.delayMillis(attempt).getAsLong()).isEqualTo(30_000L);
    }
  }

  @Test
  void equalJitterStaysInUpperHalf() {
    BackoffPolicy lo =
        BackoffPolicy.builder().jitter(BackoffPolicy.Jitter.EQUAL).random(() -> 0.0).build();
    BackoffPolicy hi =
        BackoffPolicy.builder().jitter(BackoffPolicy.Jitter.EQUAL).random(() -> 0.5).build();
    assertThat(lo.delayMillis(3).getAsLong()).isEqualTo(2000);
    assertThat(hi.delayMillis(3).getAsLong()).isEqualTo(3000);
  }

  @Test
  void neverGivesUpByDefaultAndStopsAfterMaxAttemptsWhenTold() {
    assertThat(BackoffPolicy.defaults().delayMillis(1_000_000)).isPresent();
    BackoffPolicy p = BackoffPolicy.builder().maxAttempts(3).build();
    assertThat(p.delay(3)).isPresent();
    assertThat(p.delay(4)).isEmpty();
  }

  @Test
  void badSettingsAreRefusedWithClearMessages() {
    assertThatThrownBy(() -> BackoffPolicy.builder().multiplier(0.5))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("multiplier");
    assertThatThrownBy(() -> BackoffPolicy.builder().initialDelay(Duration.ZERO))
        .hasMessageContaining("initialDelay");
    assertThatThrownBy(
            () ->
                BackoffPolicy.builder()
                    .initialDelay(Duration.ofSeconds(10))
                    .maxDelay(Duration.ofSeconds(1))
                    .build())
        .hasMessageContaining("maxDelay");
    assertThatThrownBy(() -> BackoffPolicy.builder().maxAttempts(-1))
        .hasMessageContaining("maxAttempts");
    assertThatThrownBy(() -> BackoffPolicy.defaults().delayMillis(0))
        .hasMessageContaining("attempt");
    BackoffPolicy broken = BackoffPolicy.builder().random(() -> 1.5).build();
    assertThatThrownBy(() -> broken.delayMillis(1)).hasMessageContaining("[0, 1)");
  }
}
