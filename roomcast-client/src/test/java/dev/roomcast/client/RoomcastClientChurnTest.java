package dev.roomcast.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roomcast.BackoffPolicy;
import dev.roomcast.Hub;
import java.time.Duration;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * While the hub keeps cutting every connection (max connection age, 4001) and publishing, two
 * clients reconnect, resume and end up with every message once, in offset order.
 */
class RoomcastClientChurnTest {
  static HubServer server;

  @BeforeAll
  static void start() throws Exception {
    server =
        HubServer.start(
            Hub.builder().maxConnectionAge(Duration.ofMillis(400), Duration.ofMillis(200)).build());
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void clientsThatAreCutOffAgainAndAgainMissNothing() throws Exception {
    Recorder ra = new Recorder();
    Recorder rb = new Recorder();
    BackoffPolicy fast =
        BackoffPolicy.builder()
            .initialDelay(Duration.ofMillis(20))
            .maxDelay(Duration.ofMillis(200))
            .build();
    try (RoomcastClient a =
            RoomcastClient.builder(server.base(), "churn").listener(ra).backoff(fast).connect();
        RoomcastClient b =
            RoomcastClient.builder(server.base(), "churn").listener(rb).backoff(fast).connect()) {
      ra.await("a open", () -> !ra.opens.isEmpty());
      rb.await("b open", () -> !rb.opens.isEmpty());
      int n = 150;
      for (int i = 1; i <= n; i++) {
        if (i % 3 == 0) {
          assertThat(a.sendText("a" + i)).isTrue();
        } else if (i % 3 == 1) {
          assertThat(b.sendText("b" + i)).isTrue();
        } else {
          server.hub().publish("churn", "\"s" + i + "\"");
        }
        Thread.sleep(10); // pacing the publisher over several connection lifetimes
      }
      server.hub().publish("churn", "\"end\"").toCompletableFuture().get();
      for (Recorder r : List.of(ra, rb)) {
        r.await("the last message", Duration.ofSeconds(20), () -> r.texts().contains("end"));
        List<Long> offsets = r.offsets();
        assertThat(offsets)
            .containsExactlyElementsOf(LongStream.rangeClosed(1, offsets.size()).boxed().toList());
        assertThat(r.get(() -> r.opens.size())).as("reconnected several times").isGreaterThan(2);
        assertThat(r.overlapped()).isFalse();
      }
      assertThat(ra.texts()).isEqualTo(rb.texts());
      List<String> texts = ra.texts();
      for (int i = 2; i <= n; i += 3) {
        assertThat(texts).contains("s" + i);
      }
      // a client's frame written just as the server closed its connection can be lost (no
      // publish acknowledgement in protocol v1), so those are only counted
      long fromClients = texts.stream().filter(t -> t.matches("[ab]\\d+")).count();
      assertThat(fromClients).as("client messages that arrived").isGreaterThan(n / 2);
      assertThat(ra.reconnects).extracting(Reconnecting::code).contains(4001);
    }
  }
}
