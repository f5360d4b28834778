package dev.roomcast.cdi.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.roomcast.cdi.RoomcastConfigurationException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationsTest {
  @Test
  void aNumberWithAUnitOrIso8601() {
    assertThat(Durations.parse("p", "500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(Durations.parse("p", "15s")).isEqualTo(Duration.ofSeconds(15));
    assertThat(Durations.parse("p", " 2m ")).isEqualTo(Duration.ofMinutes(2));
    assertThat(Durations.parse("p", "1H")).isEqualTo(Duration.ofHours(1));
    assertThat(Durations.parse("p", "1d")).isEqualTo(Duration.ofDays(1));
    assertThat(Durations.parse("p", "PT15S")).isEqualTo(Duration.ofSeconds(15));
    assertThat(Durations.parse("p", "pt0.5s")).isEqualTo(Duration.ofMillis(500));
    assertThat(Durations.parse("p", "0")).isEqualTo(Duration.ZERO);
  }

  @Test
  void aBareNumberIsRefusedBecauseItsUnitWouldBeAGuess() {
    assertThatThrownBy(() -> Durations.parse("roomcast.sse.heartbeat", "15"))
        .isInstanceOf(RoomcastConfigurationException.class)
        .hasMessage(
            "roomcast.sse.heartbeat must be a duration with a unit, like 500ms, 15s, 2m, 1h or"
                + " PT15S (0 for none), was '15'");
  }

  @Test
  void nonsenseAndNegativeDurationsAreRefused() {
    for (String bad : new String[] {"", "s", "1.5s", "10 sec", "PTxS", "-5s"}) {
      assertThatThrownBy(() -> Durations.parse("roomcast.drain.time", bad))
          .as(bad)
          .isInstanceOfSatisfying(
              RoomcastConfigurationException.class,
              e -> assertThat(e.property()).isEqualTo("roomcast.drain.time"));
    }
    assertThatThrownBy(() -> Durations.parse("roomcast.drain.time", "-PT5S"))
        .hasMessageContaining("must not be negative");
  }
}
