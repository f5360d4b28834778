package dev.roomcast.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roomcast.BackoffPolicy;
import dev.roomcast.client.internal.ReconnectDecision.Ending;
import dev.roomcast.client.internal.ReconnectDecision.Outcome;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ReconnectDecisionTest {
  /** 100, 200, 400, 400 ... ms, no jitter; gives up after 3 attempts. */
  static final BackoffPolicy BACKOFF =
      BackoffPolicy.builder()
          .initialDelay(Duration.ofMillis(100))
          .maxDelay(Duration.ofMillis(400))
          .jitter(BackoffPolicy.Jitter.NONE)
          .maxAttempts(3)
          .build();

  @ParameterizedTest(name = "close {0}")
  @ValueSource(ints = {1000, 1003, 1008, 4500, 4999})
  void terminalCodesEndTheClient(int code) {
    Outcome o = ReconnectDecision.after(Ending.closed(code, "stop", true), 0, BACKOFF);
    assertThat(o.terminal()).isTrue();
    assertThat(o.code()).isEqualTo(code);
    assertThat(o.reason()).isEqualTo("stop");
  }

  @ParameterizedTest(name = "close {0}")
  @ValueSource(ints = {1012, 4001})
  void aWelcomedConnectionThatIsAskedToReconnectDoesSoAtOnce(int code) {
    Outcome o = ReconnectDecision.after(Ending.closed(code, "restart", true), 2, BACKOFF);
    assertThat(o).isEqualTo(new Outcome(false, code, "restart", 0, 0, 0));
  }

  @Test
  void aDrainingServerThatRefusesAnAttemptBeforeItsWelcomeIsTheNextBackoffStep() {
    Outcome o = ReconnectDecision.after(Ending.closed(1012, "restarting", false), 0, BACKOFF);
    assertThat(o).isEqualTo(new Outcome(false, 1012, "restarting", 100, 1, 1));
    Outcome again = ReconnectDecision.after(Ending.closed(1012, "restarting", false), 1, BACKOFF);
    assertThat(again.delayMillis()).isEqualTo(200);
  }

  @ParameterizedTest(name = "close {0}")
  @ValueSource(ints = {1001, 1006, 1011, 1013, 4000, 4002})
  void otherClosesBackOffByConsecutiveFailures(int code) {
    assertThat(ReconnectDecision.after(Ending.closed(code, "", true), 0, BACKOFF).delayMillis())
        .isEqualTo(100);
    assertThat(ReconnectDecision.after(Ending.closed(code, "", false), 2, BACKOFF).delayMillis())
        .isEqualTo(400);
  }

  @Test
  void theBackoffGivingUpIsTerminal() {
    Outcome o = ReconnectDecision.after(Ending.failed("refused", false, -1, true), 3, BACKOFF);
    assertThat(o.terminal()).isTrue();
    assertThat(o.code()).isEqualTo(ReconnectDecision.ABNORMAL);
    assertThat(o.reason()).isEqualTo("gave up after 3 reconnect attempts; last: refused");
  }

  @Test
  void aGapResumesAtOnce() {
    assertThat(ReconnectDecision.after(Ending.gap(4100, "gap"), 0, BACKOFF))
        .isEqualTo(new Outcome(false, 4100, "gap", 0, 0, 0));
  }

  @ParameterizedTest(name = "HTTP {0}")
  @ValueSource(ints = {400, 401, 403, 404, 410})
  void aHandshakeRefusedWithAClientErrorIsTerminal(int status) {
    Outcome o = ReconnectDecision.after(Ending.failed("refused", false, status, false), 0, BACKOFF);
    assertThat(o.terminal()).isTrue();
    assertThat(o.code()).isEqualTo(1008);
    assertThat(o.reason()).isEqualTo("handshake refused with HTTP " + status);
  }

  @Test
  void a404FromTheServerThatWelcomedTheClientBeforeIsARestart() {
    Outcome o = ReconnectDecision.after(Ending.failed("refused", false, 404, true), 0, BACKOFF);
    assertThat(o.terminal()).isFalse();
    assertThat(o.delayMillis()).isEqualTo(100);
    assertThat(
            ReconnectDecision.after(Ending.failed("refused", false, 403, true), 0, BACKOFF)
                .terminal())
        .as("403 stays terminal")
        .isTrue();
  }

  @ParameterizedTest(name = "HTTP {0}")
  @ValueSource(ints = {408, 429, 500, 502, 503})
  void aHandshakeRefusedForNowIsTheNextBackoffStep(int status) {
    Outcome o = ReconnectDecision.after(Ending.failed("busy", false, status, false), 1, BACKOFF);
    assertThat(o).isEqualTo(new Outcome(false, ReconnectDecision.ABNORMAL, "busy", 200, 2, 2));
  }
}
