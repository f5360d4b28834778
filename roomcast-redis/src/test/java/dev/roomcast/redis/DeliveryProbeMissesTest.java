package dev.roomcast.redis;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The rule that turns delivery probes into a verdict, on a clock of our own: only several probes in
 * a row that Redis accepted and that did not arrive make a link silent; a late probe, or one whose
 * publish Redis has not answered, does not.
 */
class DeliveryProbeMissesTest {
  private static final long TIMEOUT = TimeUnit.SECONDS.toNanos(2);
  private static final long INTERVAL = TimeUnit.SECONDS.toNanos(3);

  @Test
  void aLinkIsSilentOnlyAfterTheAllowedMissesInARow() {
    DeliveryProbe p = new DeliveryProbe(3, TIMEOUT);
    long t = 0;
    for (int i = 1; i <= 3; i++) {
      long seq = p.next();
      assertThat(seq).isEqualTo(i);
      p.accepted(seq, t);
      assertThat(p.isSilent(t + TIMEOUT + 1)).as("after %d misses", i).isEqualTo(i == 3);
      t += INTERVAL;
    }
  }

  @Test
  void aLateProbeThatArrivesSettlesEveryEarlierOne() {
    DeliveryProbe p = new DeliveryProbe(3, TIMEOUT);
    p.accepted(p.next(), 0);
    p.accepted(p.next(), INTERVAL);
    long third = p.next();
    p.accepted(third, 2 * INTERVAL);
    p.arrived(third); // the subscriber was only behind: in order, so 1 and 2 are settled too
    assertThat(p.missed(10 * INTERVAL)).isZero();
    p.accepted(p.next(), 3 * INTERVAL);
    assertThat(p.isSilent(10 * INTERVAL)).as("one miss since is not three").isFalse();
  }

  @Test
  void aProbeWhosePublishIsUnansweredIsNeitherMissedNorFollowedByAnother() {
    DeliveryProbe p = new DeliveryProbe(1, TIMEOUT);
    long seq = p.next();
    assertThat(p.next()).as("no second probe while the first is unanswered").isZero();
    assertThat(p.isSilent(100 * TIMEOUT)).as("a slow Redis, not a deaf subscriber").isFalse();
    p.refused(seq); // the command failed: it says nothing about delivery
    assertThat(p.isSilent(200 * TIMEOUT)).isFalse();
    assertThat(p.next()).isEqualTo(seq + 1);
  }

  @Test
  void aProbeThatArrivesBeforeItsReplyIsNotAwaited() {
    DeliveryProbe p = new DeliveryProbe(1, TIMEOUT);
    long seq = p.next();
    p.arrived(seq);
    p.accepted(seq, 0);
    assertThat(p.isSilent(10 * TIMEOUT)).isFalse();
  }

  @Test
  void aProbeThatReachedNoSubscriberIsMissedAtOnce() {
    DeliveryProbe p = new DeliveryProbe(2, TIMEOUT);
    p.unheard(p.next(), 0);
    assertThat(p.missed(0)).isEqualTo(1);
    assertThat(p.isSilent(0)).isFalse();
    p.unheard(p.next(), 1);
    assertThat(p.isSilent(1)).isTrue();
  }
}
