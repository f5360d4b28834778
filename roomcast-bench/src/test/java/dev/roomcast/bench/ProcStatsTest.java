package dev.roomcast.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ProcStatsTest {
  @Test
  void sumsUtimeAndStime() {
    String line =
        "4242 (node) S 1 4242 4242 0 -1 4194560 5123 0 0 0 1234 567 0 0 20 0 11 0 9999 "
            + "1045664768 18784 18446744073709551615 1 1 0 0 0 0 0 4096 134234626 0 0 0 17 1 0 0";
    assertThat(ProcStats.parseStatTicks(line)).isEqualTo(1234 + 567);
  }

  @Test
  void commandNamesWithSpacesAndParenthesesDoNotShiftFields() {
    String line = "77 (my (odd) server) R 1 77 77 0 -1 0 0 0 0 0 10 20 0 0 20 0 1 0 5 100 10 0";
    assertThat(ProcStats.parseStatTicks(line)).isEqualTo(30);
  }

  @Test
  void rejectsNonStatText() {
    assertThatThrownBy(() -> ProcStats.parseStatTicks("garbage"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void readsVmRss() {
    String status = "Name:\tjava\nVmPeak:\t 999 kB\nVmRSS:\t   74236 kB\nThreads:\t20\n";
    assertThat(ProcStats.parseVmRssKb(status)).isEqualTo(74236);
    assertThat(ProcStats.parseVmRssKb("Name:\tzombie\n")).isZero();
  }

  @Test
  void hostTicksCountIdleAndIowaitAsNotBusy() {
    long[] t = ProcStats.parseHostTicks("cpu  100 5 50 800 20 0 10 15 0 0");
    assertThat(t).containsExactly(100 + 5 + 50 + 10 + 15, 1000);
    assertThat(ProcStats.hostBusyPct(new long[] {0, 0}, new long[] {25, 100})).isEqualTo(25.0);
  }

  @Test
  void samplesThisProcess() {
    ProcStats.Sample s = ProcStats.sample(ProcessHandle.current().pid());
    assertThat(s.rssKb()).isPositive();
    assertThat(s.cpuTicks()).isNotNegative();
  }
}
