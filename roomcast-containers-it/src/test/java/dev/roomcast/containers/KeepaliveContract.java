package dev.roomcast.containers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roomcast.CloseCodes;
import dev.roomcast.Hub;
import dev.roomcast.OutboxLimits;
import dev.roomcast.Published;
import dev.roomcast.jakarta.RoomcastEndpointConfig;
import dev.roomcast.jakarta.testkit.RawWebSocket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * Ping/pong keepalive inside a servlet container. Tomcat's and Jetty's {@code sendPing} block until
 * the ping is written, which for a peer that stopped reading is a long time (Tomcat: up to its 20 s
 * blocking send timeout); the keepalive must not let one such peer hold up everyone else's pings
 * and pong deadlines.
 */
abstract class KeepaliveContract {
  static final Duration PING = Duration.ofMillis(500);
  static final Duration PONG_TIMEOUT = Duration.ofSeconds(2);

  /** The server's socket send buffer: small, so a peer that stops reading stalls writes at once. */
  static final int SEND_BUFFER_BYTES = 8192;

  /** The running container with roomcast deployed. */
  protected abstract ContainerHarness server();

  /**
   * Outboxes big enough that a stalled peer is never cut as a slow consumer (4000) here: only the
   * keepalive may close it.
   */
  static Hub hub() {
    return Hub.builder().outboxLimits(new OutboxLimits(100_000, 256L << 20)).build();
  }

  static RoomcastEndpointConfig endpointConfig() {
    return RoomcastEndpointConfig.builder().pingInterval(PING).pongTimeout(PONG_TIMEOUT).build();
  }

  @Test
  void aPeerThatAnswersPingsStaysOpen() throws Exception {
    try (RawWebSocket peer = RawWebSocket.connect(server().port(), "/answers")) {
      int pings = readAnsweringPings(peer, PING.multipliedBy(5));
      assertThat(pings).isGreaterThanOrEqualTo(3);
    }
  }

  @Test
  void aPeerThatNeverPongsIsClosedWith4002() throws Exception {
    long t0 = System.nanoTime();
    try (RawWebSocket silent = RawWebSocket.connect(server().port(), "/silent")) {
      boolean sawPing = false;
      while (true) {
        RawWebSocket.Frame f = silent.read();
        if (f.opcode() == RawWebSocket.PING) {
          sawPing = true;
        } else if (f.opcode() == RawWebSocket.CLOSE) {
          assertThat(sawPing).isTrue();
          assertThat(f.closeCode()).isEqualTo(CloseCodes.KEEPALIVE_TIMEOUT);
          break;
        }
      }
    }
    assertThat(Duration.ofNanos(System.nanoTime() - t0))
        .isLessThan(PING.plus(PONG_TIMEOUT).plusSeconds(3));
    awaitCondition("the silent peer left the hub", () -> server().hub().roomSize("silent") == 0);
  }

  /**
   * A peer that reads nothing resumes a room with 300 KB of history, so from its first moment the
   * server has far more for it than the small socket buffers hold: the container's write to it
   * stalls at once and its first ping (due {@link #PING} after it joined) waits behind that write.
   * Another peer in another room must keep getting its pings on time meanwhile, and the stalled
   * peer must be closed by its pong deadline and its session released.
   */
  @Test
  void aStalledPeerDoesNotHoldUpOtherSessionsKeepalive() throws Exception {
    String content = "\"" + "x".repeat(30_000) + "\"";
    List<Published> published = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      published.add(server().hub().publish("stalled", content).toCompletableFuture().join());
    }
    Published first = published.get(0);
    int sessionsBefore = server().deployment().openSessions();
    try (RawWebSocket stalled =
        RawWebSocket.connect(
            server().port(),
            "/stalled?since=" + (first.offset() - 1) + "&epoch=" + first.epoch(),
            4096)) {
      // reads nothing from here on

      try (RawWebSocket healthy = RawWebSocket.connect(server().port(), "/healthy")) {
        int pings = readAnsweringPings(healthy, PING.multipliedBy(5));
        assertThat(pings)
            .as("pings to a healthy peer while another is stalled (one every %s)", PING)
            .isGreaterThanOrEqualTo(3);
      }
      awaitCondition(
          "the stalled peer closed by its pong deadline",
          () -> server().hub().roomSize("stalled") == 0);
      awaitCondition(
          "the container released the stalled session",
          () -> server().deployment().openSessions() <= sessionsBefore);
    }
  }

  /** Reads for {@code duration}, answering every ping; fails on a close. Returns the pings seen. */
  private static int readAnsweringPings(RawWebSocket peer, Duration duration) throws Exception {
    long end = System.nanoTime() + duration.toNanos();
    int pings = 0;
    peer.setReadTimeout(Duration.ofMillis(100));
    while (System.nanoTime() < end) {
      RawWebSocket.Frame f;
      try {
        f = peer.read();
      } catch (SocketTimeoutException e) {
        continue;
      }
      assertThat(f.opcode()).as("frame opcode (8 = close)").isNotEqualTo(RawWebSocket.CLOSE);
      if (f.opcode() == RawWebSocket.PING) {
        pings++;
        peer.pong(f);
      }
    }
    return pings;
  }

  private static void awaitCondition(String what, BooleanSupplier condition)
      throws InterruptedException {
    Duration timeout = PING.plus(PONG_TIMEOUT).plusSeconds(5);
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime() - deadline < 0).as(what + " within " + timeout).isTrue();
      Thread.sleep(20);
    }
  }
}
