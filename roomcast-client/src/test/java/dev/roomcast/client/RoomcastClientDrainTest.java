package dev.roomcast.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roomcast.BackoffPolicy;
import dev.roomcast.Hub;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A server restarted the way a deploy restarts it, 50 times under one connected client: drain
 * (1012), stop, start again on the same port. Every reconnect must complete within 2 s of the new
 * server being ready. The attempt the client makes at once after the 1012 lands on the server that
 * is stopping (refused with 1012 before a welcome, or dropped mid-handshake as it stops): it must
 * fail at once and go to the next backoff step, not wait out the 15 s connect timeout.
 */
class RoomcastClientDrainTest {
  static final int RESTARTS = 50;
  static final long BOUND_MILLIS = 2_000;

  @Test
  void everyReconnectAfterADrainCompletesWithinTwoSecondsOfTheRestart() throws Exception {
    HubServer server = HubServer.start(Hub.builder().build());
    int port = server.port();
    Recorder rec = new Recorder();
    // the backoff's longest step stays well inside the bound; the connect timeout is the default
    BackoffPolicy backoff =
        BackoffPolicy.builder()
            .initialDelay(Duration.ofMillis(100))
            .maxDelay(Duration.ofMillis(400))
            .build();
    RoomcastClient client =
        RoomcastClient.builder(server.base(), "deploys").listener(rec).backoff(backoff).connect();
    List<Long> millis = new ArrayList<>();
    try {
      rec.await("first open", () -> rec.opens.size() == 1);
      for (int i = 1; i <= RESTARTS; i++) {
        int opensBefore = i;
        long drainsBefore = i - 1;
        server.drainAndStop();
        rec.await(
            "the 1012 of drain " + i,
            () ->
                rec.reconnects.stream().filter(r -> r.code() == 1012 && r.attempt() == 0).count()
                    > drainsBefore);
        server = HubServer.start(Hub.builder().build(), port);
        long ready = System.nanoTime();
        // a generous wait, so a stall is measured and reported rather than cut off
        rec.await("reconnect " + i, Duration.ofSeconds(30), () -> rec.opens.size() > opensBefore);
        millis.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - ready));
      }
    } finally {
      client.close();
      server.close();
    }
    List<Long> sorted = new ArrayList<>(millis);
    sorted.sort(null);
    System.out.println(
        "reconnect after restart, ms: median "
            + sorted.get(sorted.size() / 2)
            + " max "
            + sorted.get(sorted.size() - 1)
            + " all "
            + millis);
    assertThat(millis).hasSize(RESTARTS).allSatisfy(ms -> assertThat(ms).isLessThan(BOUND_MILLIS));
    List<String> errors = rec.get(() -> rec.errors.stream().map(e -> "" + e.getMessage()).toList());
    System.out.println(
        "immediate reconnects abandoned after 1 s: "
            + errors.stream().filter(m -> m.equals("no welcome within 1000 ms")).count());
    assertThat(errors)
        .as("no attempt waited out the 15 s connect timeout")
        .noneMatch(m -> m.startsWith("no welcome within 15000"));
    assertThat(rec.get(() -> rec.closes))
        .containsExactly(new Recorder.Closed(1000, "closed by client"));
    assertThat(rec.overlapped()).isFalse();
  }
}
