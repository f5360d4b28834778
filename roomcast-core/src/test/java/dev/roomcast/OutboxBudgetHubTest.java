package dev.roomcast;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roomcast.testing.RecordingTransport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The hub-wide bound on queued bytes ({@link OutboxLimits#maxTotalBytes()}). */
class OutboxBudgetHubTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  @Test
  void aBroadcastHeldByManyStalledMembersIsCountedOnce() throws Exception {
    // 100 stalled members each hold the same 20 KB frames: 5 of them are 100 KB of memory, not 10
    // MB, so a 200 KB budget is not exhausted and nobody is shed.
    OutboxLimits limits = new OutboxLimits(1024, 1L << 20, 200_000);
    try (Hub hub = hub(limits)) {
      List<RecordingTransport> stalled = new ArrayList<>();
      for (int i = 0; i < 100; i++) {
        RecordingTransport t = new RecordingTransport();
        hub.join(JoinRequest.to("fanout"), t);
        t.stall();
        stalled.add(t);
      }
      String big = "\"" + "z".repeat(20_000) + "\"";
      for (int i = 0; i < 5; i++) {
        hub.publish("fanout", big).toCompletableFuture().get();
      }
      assertThat(hub.metrics().queuedBytes()).isBetween(100_000L, 110_000L);
      assertThat(hub.metrics().budgetClosed()).isZero();
      assertThat(hub.roomSize("fanout")).isEqualTo(100);
      for (RecordingTransport t : stalled) {
        t.unstall();
      }
    }
  }

  @Test
  void membersThatStopReadingAreShedOnceTheBudgetIsFullAndReadersKeepGoing() throws Exception {
    // Each stalled member gets its own frames (errors for bad input), which no one shares: the
    // budget, not the per-connection bound, is what stops them.
    OutboxLimits limits = new OutboxLimits(100_000, 1L << 30, 64 * 1024);
    try (Hub hub = hub(limits)) {
      RecordingTransport reader = new RecordingTransport();
      Connection calm = hub.join(JoinRequest.to("calm"), reader);
      List<RecordingTransport> stalled = new ArrayList<>();
      List<Connection> stalledConnections = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        RecordingTransport t = new RecordingTransport();
        stalledConnections.add(hub.join(JoinRequest.to("flood-" + i), t));
        t.stall();
        stalled.add(t);
      }
      String junk = "{" + "x".repeat(900); // invalid JSON: each one earns an error frame
      // Until the last one is shed alone: about 64 KiB of 45-byte error frames.
      for (int round = 0; round < 20_000 && anyOpen(stalledConnections); round++) {
        for (Connection c : stalledConnections) {
          if (c.isOpen()) {
            c.receiveText(junk);
          }
        }
        assertThat(hub.metrics().queuedBytes()).isLessThanOrEqualTo(limits.maxTotalBytes());
      }
      for (RecordingTransport t : stalled) {
        assertThat(t.awaitClose(WAIT)).isEqualTo(CloseCodes.SLOW_CONSUMER);
      }
      assertThat(hub.metrics().budgetClosed()).isGreaterThanOrEqualTo(20);
      hub.publish("calm", "\"still here\"").toCompletableFuture().get();
      reader.awaitType("message", 1, WAIT);
      assertThat(calm.isOpen()).isTrue();
    }
  }

  private static boolean anyOpen(List<Connection> connections) {
    return connections.stream().anyMatch(Connection::isOpen);
  }

  private static Hub hub(OutboxLimits limits) {
    return Hub.builder()
        .outboxLimits(limits)
        .notices(NoticePolicy.never())
        .limits(Limits.defaults().withPublishRate(1e9, 1_000_000))
        .build();
  }
}
