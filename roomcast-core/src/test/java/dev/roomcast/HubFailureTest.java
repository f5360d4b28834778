package dev.roomcast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.roomcast.internal.Member;
import dev.roomcast.testing.RecordingTransport;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Slow consumers, limits, bad input, backplane outages and draining. */
class HubFailureTest {
  private static final Duration WAIT = Duration.ofSeconds(5);

  @Test
  void aStalledConsumerIsCutLooseWithBoundedMemoryAndTheRoomKeepsReceiving() throws Exception {
    OutboxLimits small = new OutboxLimits(100, 64 * 1024);
    try (Hub hub =
        Hub.builder()
            .outboxLimits(small)
            .limits(Limits.defaults().withPublishRate(1e9, 1_000_000))
            .build()) {
      RecordingTransport stalled = new RecordingTransport();
      RecordingTransport healthy = new RecordingTransport();
      Connection slow = hub.join(JoinRequest.to("s"), stalled);
      hub.join(JoinRequest.to("s"), healthy);
      stalled.stall();
      int n = 5000;
      long maxQueued = 0;
      for (int i = 0; i < n; i++) {
        hub.publish("s", "{\"i\":" + i + ",\"pad\":\"" + "x".repeat(100) + "\"}");
        maxQueued = Math.max(maxQueued, ((Member) slow).outbox().queuedFrames());
      }
      assertThat(stalled.awaitClose(WAIT)).isEqualTo(CloseCodes.SLOW_CONSUMER);
      assertThat(maxQueued).isLessThanOrEqualTo(small.maxFrames());
      assertThat(((Member) slow).outbox().queuedFrames())
          .as("queue released at once; only the frame the transport holds remains")
          .isLessThanOrEqualTo(1);
      // welcome, the other member's join notice, then the one message that never completed
      assertThat(stalled.frames()).hasSize(3);
      healthy.awaitType("message", n, WAIT);
      assertThat(healthy.ofType("message")).hasSize(n);
      assertThat(healthy.maxInFlight()).isEqualTo(1);
      assertThat(hub.metrics().slowConsumersClosed()).isEqualTo(1);
      assertThat(hub.roomSize("s")).isEqualTo(1);
      stalled.unstall(); // a late completion after the close is harmless
    }
  }

  @Test
  void byteBoundAlsoTriggersTheSlowConsumerClose() throws Exception {
    try (Hub hub = Hub.builder().outboxLimits(new OutboxLimits(100_000, 10_000)).build()) {
      RecordingTransport stalled = new RecordingTransport();
      hub.join(JoinRequest.to("b"), stalled);
      stalled.stall();
      for (int i = 0; i < 200; i++) {
        hub.publish("b", "\"" + "y".repeat(200) + "\"");
      }
      assertThat(stalled.awaitClose(WAIT)).isEqualTo(CloseCodes.SLOW_CONSUMER);
    }
  }

  @Test
  void oversizeFramesCloseWith1009AndBinaryWith1003() throws Exception {
    try (Hub hub = Hub.builder().limits(Limits.defaults().withMaxMessageBytes(1000)).build()) {
      RecordingTransport t1 = new RecordingTransport();
      RecordingTransport other = new RecordingTransport();
      Connection c1 = hub.join(JoinRequest.to("big"), t1);
      hub.join(JoinRequest.to("big"), other);
      c1.receiveText("{\"content\":\"" + "é".repeat(600) + "\"}"); // 1200 bytes in UTF-8
      assertThat(t1.closeCode()).isEqualTo(CloseCodes.TOO_BIG);
      assertThat(c1.isOpen()).isFalse();
      RecordingTransport t2 = new RecordingTransport();
      hub.join(JoinRequest.to("big"), t2).receiveBinary();
      assertThat(t2.closeCode()).isEqualTo(CloseCodes.UNSUPPORTED_DATA);
      assertThat(other.ofType("message")).isEmpty();
      assertThat(hub.roomSize("big")).isEqualTo(1);
    }
  }

  @Test
  void contentOverItsLimitGetsAnErrorFrame() {
    try (Hub hub = Hub.builder().limits(Limits.defaults().withMaxContentBytes(100)).build()) {
      RecordingTransport t = new RecordingTransport();
      Connection c = hub.join(JoinRequest.to("c"), t);
      c.receiveText("{\"content\":\"" + "z".repeat(200) + "\"}");
      assertThat(t.ofType("error").get(0).get("message").asText()).contains("content too large");
      assertThat(c.isOpen()).isTrue();
    }
  }

  @Test
  void aFloodBeyondTheQueueClosesWith1008AndTellsWhy() throws Exception {
    Limits limits = Limits.builder().publishRate(1, 5).maxQueuedMessages(10).build();
    try (Hub hub = Hub.builder().limits(limits).build()) {
      RecordingTransport t = new RecordingTransport();
      Connection c = hub.join(JoinRequest.to("flood"), t);
      for (int i = 0; i < 100 && c.isOpen(); i++) {
        c.receiveText("{\"content\":" + i + "}");
      }
      assertThat(t.ofType("message")).hasSize(5);
      assertThat(t.ofType("error")).isEmpty();
      assertThat(t.closeCode()).isEqualTo(CloseCodes.POLICY_VIOLATION);
      assertThat(t.closeReason()).contains("publish rate exceeded").contains("10 messages");
      assertThat(hub.metrics().rateClosed()).isEqualTo(1);
      assertThat(hub.metrics().messagesDelayed()).isEqualTo(10);
    }
  }

  @Test
  void connectionAndRoomLimitsRefuseBeforeAnyRoomWork() {
    try (Hub hub =
        Hub.builder().limits(Limits.defaults().withMaxConnections(2).withMaxRooms(1)).build()) {
      hub.join(JoinRequest.to("one"), new RecordingTransport());
      assertThatThrownBy(() -> hub.join(JoinRequest.to("two"), new RecordingTransport()))
          .isInstanceOfSatisfying(
              JoinRejectedException.class,
              e -> {
                assertThat(e.closeCode()).isEqualTo(CloseCodes.TRY_AGAIN_LATER);
                assertThat(e.httpStatus()).isEqualTo(503);
              });
      hub.join(JoinRequest.to("one"), new RecordingTransport());
      assertThatThrownBy(() -> hub.join(JoinRequest.to("one"), new RecordingTransport()))
          .isInstanceOf(JoinRejectedException.class)
          .hasMessageContaining("full");
      assertThat(hub.metrics().connections()).isEqualTo(2);
      assertThat(hub.metrics().connectionsRejected()).isEqualTo(2);
      assertThat(hub.roomSizes()).containsOnlyKeys("one");
    }
  }

  @Test
  void invalidRoomNamesAreRefusedWith1008() {
    try (Hub hub = Hub.builder().build()) {
      for (String bad :
          List.of("../etc/passwd", "a/b", "ü", "x".repeat(129), ".hidden", "a b", "<script>")) {
        assertThatThrownBy(() -> hub.join(JoinRequest.to(bad), new RecordingTransport()))
            .isInstanceOfSatisfying(
                JoinRejectedException.class,
                e -> assertThat(e.closeCode()).isEqualTo(CloseCodes.POLICY_VIOLATION));
      }
      assertThat(hub.roomCount()).isZero();
      assertThat(hub.metrics().connections()).isZero();
      assertThat(RoomNames.isValid("x".repeat(128))).isTrue();
      assertThat(RoomNames.isValid("team-1_a.b:c@d")).isTrue();
    }
  }

  @Test
  void backplaneOutageFailsPublishesFastAndReadinessFollows() throws Exception {
    InMemoryBackplane backplane = InMemoryBackplane.create();
    try (Hub hub = Hub.builder().backplane(backplane).build()) {
      RecordingTransport t = new RecordingTransport();
      Connection c = hub.join(JoinRequest.to("o"), t);
      assertThat(hub.isReady()).isTrue();
      backplane.setReachable(false);
      assertThat(hub.isReady()).isFalse();
      c.receiveText("{\"content\":\"lost?\"}");
      assertThat(t.ofType("error").get(0).get("message").asText())
          .startsWith("message not delivered:");
      assertThat(c.isOpen()).isTrue();
      assertThatThrownBy(() -> hub.publish("o", "1").toCompletableFuture().get(1, TimeUnit.SECONDS))
          .hasCauseInstanceOf(BackplaneUnavailableException.class);
      backplane.setReachable(true);
      assertThat(hub.isReady()).isTrue();
      c.receiveText("{\"content\":\"back\"}");
      assertThat(t.ofType("message")).hasSize(1);
      MetricsSnapshot m = hub.metrics();
      assertThat(m.backplaneOutages()).isEqualTo(1);
      assertThat(m.publishFailures()).isEqualTo(2);
    }
  }

  @Test
  void drainClosesEveryConnectionWith1012SpreadOverTimeAndRefusesNewOnes() throws Exception {
    try (Hub hub = Hub.builder().build()) {
      List<RecordingTransport> ts = new java.util.ArrayList<>();
      for (int i = 0; i < 20; i++) {
        RecordingTransport t = new RecordingTransport();
        ts.add(t);
        hub.join(JoinRequest.to("d" + (i % 3)), t);
      }
      long start = System.nanoTime();
      var done = hub.drain(Duration.ofMillis(400));
      assertThat(hub.isReady()).isFalse();
      assertThatThrownBy(() -> hub.join(JoinRequest.to("late"), new RecordingTransport()))
          .isInstanceOfSatisfying(
              JoinRejectedException.class,
              e -> assertThat(e.closeCode()).isEqualTo(CloseCodes.SERVICE_RESTART));
      done.get(5, TimeUnit.SECONDS);
      long tookMs = (System.nanoTime() - start) / 1_000_000;
      assertThat(tookMs).as("closes were spread, not all at once").isGreaterThanOrEqualTo(300);
      for (RecordingTransport t : ts) {
        assertThat(t.closeCode()).isEqualTo(CloseCodes.SERVICE_RESTART);
      }
      assertThat(hub.roomCount()).isZero();
    }
  }

  @Test
  void aJoinWhoseWelcomeWentOutAsTheDrainBeganIsClosedWith1012Too() throws Exception {
    try (Hub hub = Hub.builder().build()) {
      java.util.concurrent.atomic.AtomicReference<java.util.concurrent.CompletableFuture<Void>>
          drain = new java.util.concurrent.atomic.AtomicReference<>();
      // the drain starts while the first member of a new room is being welcomed: the join has
      // passed the draining check and its room is not in the hub's map yet
      RecordingTransport first =
          new RecordingTransport() {
            @Override
            public void send(
                dev.roomcast.spi.OutboundFrame frame,
                dev.roomcast.spi.Transport.WriteCallback done) {
              if (drain.get() == null) {
                drain.set(hub.drain(Duration.ZERO));
              }
              super.send(frame, done);
            }
          };
      hub.join(JoinRequest.to("new-room"), first);
      drain.get().get(5, TimeUnit.SECONDS);
      assertThat(first.ofType("system"))
          .singleElement()
          .satisfies(w -> assertThat(w.get("message").asText()).startsWith("Welcome"));
      assertThat(first.closeCode()).isEqualTo(CloseCodes.SERVICE_RESTART);
    }
  }

  @Test
  void connectionsOlderThanMaxAgeAreClosedWithTheResumableCodeSpreadByJitter() throws Exception {
    try (Hub hub =
        Hub.builder().maxConnectionAge(Duration.ofMillis(1500), Duration.ofMillis(1000)).build()) {
      List<RecordingTransport> ts = new java.util.ArrayList<>();
      long start = System.nanoTime();
      for (int i = 0; i < 30; i++) {
        RecordingTransport t = new RecordingTransport();
        ts.add(t);
        hub.join(JoinRequest.to("age"), t);
      }
      long first = Long.MAX_VALUE;
      long last = 0;
      for (RecordingTransport t : ts) {
        assertThat(t.awaitClose(WAIT)).isEqualTo(CloseCodes.MAX_AGE);
        long ms = (t.closedAtNanos() - start) / 1_000_000;
        first = Math.min(first, ms);
        last = Math.max(last, ms);
      }
      assertThat(first).as("not before maxAge - jitter").isGreaterThanOrEqualTo(500);
      // 30 uniform draws over 1 s spread ~0.9 s; only a scheduler stalled for about a second
      // (a very loaded machine) could bunch them below this
      assertThat(last - first).as("spread by the jitter").isGreaterThanOrEqualTo(50);
      assertThat(hub.roomCount()).isZero();
      assertThat(CloseCodes.reconnectImmediately(CloseCodes.MAX_AGE)).isTrue();
    }
    assertThatThrownBy(
            () -> Hub.builder().maxConnectionAge(Duration.ofSeconds(1), Duration.ofSeconds(1)))
        .hasMessageContaining("jitter");
  }

  @Test
  void closeCodeClassification() {
    assertThat(CloseCodes.isTerminal(CloseCodes.POLICY_VIOLATION)).isTrue();
    assertThat(CloseCodes.isTerminal(4500)).isTrue();
    assertThat(CloseCodes.isTerminal(CloseCodes.SLOW_CONSUMER)).isFalse();
    assertThat(CloseCodes.isTerminal(CloseCodes.SERVICE_RESTART)).isFalse();
    assertThat(CloseCodes.reconnectImmediately(CloseCodes.SERVICE_RESTART)).isTrue();
    assertThat(CloseCodes.reconnectImmediately(CloseCodes.TRY_AGAIN_LATER)).isFalse();
  }
}
