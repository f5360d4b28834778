package dev.roomcast.example;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roomcast.CloseCodes;
import dev.roomcast.jakarta.testkit.WsClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The SIGTERM path ({@link ExampleServer#shutdownGracefully()}, what the hook calls) in-process.
 */
class GracefulShutdownTest {

  @Test
  void drainTurnsReadinessOffClosesEveryoneWith1012AndStops() throws Exception {
    TestServer server = TestServer.start(Map.of("ROOMCAST_DRAIN_SECONDS", "2"));
    try {
      List<WsClient> clients = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        WsClient c = WsClient.connect(server.ws("/drain-" + (i % 3)));
        c.next("system");
        clients.add(c);
      }
      assertThat(server.get("/ready").statusCode()).isEqualTo(200);

      long t0 = System.nanoTime();
      CompletableFuture<Void> shutdown =
          CompletableFuture.runAsync(server.server::shutdownGracefully);

      // while draining: not ready, still alive, newcomers are turned away with 1012
      TestServer.await(
          "/ready 503", Duration.ofSeconds(2), () -> server.get("/ready").statusCode() == 503);
      assertThat(server.get("/ready").body()).isEqualTo("draining");
      assertThat(server.get("/health").statusCode()).isEqualTo(200);
      try (WsClient late = WsClient.connect(server.ws("/drain-0"))) {
        assertThat(late.awaitClose().code()).isEqualTo(CloseCodes.SERVICE_RESTART);
      }

      List<Long> closedAtMs = new ArrayList<>();
      for (WsClient c : clients) {
        WsClient.Close close = c.awaitClose();
        assertThat(close.code()).isEqualTo(CloseCodes.SERVICE_RESTART);
        assertThat(close.reason()).contains("reconnect");
        closedAtMs.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
        c.close();
      }
      shutdown.get(5, TimeUnit.SECONDS);
      long totalMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
      // spread over the drain time rather than all at once, and done well inside 10 s
      assertThat(closedAtMs.stream().mapToLong(Long::longValue).max().orElseThrow())
          .isGreaterThan(1000);
      assertThat(totalMs).isLessThan(5000);
      assertThat(server.server.hub().roomSizes()).isEmpty();
    } finally {
      server.close();
    }
  }
}
