package dev.roomcast.example;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * SIGTERM's drain with SSE subscribers: open streams end (the browser reconnects and resumes), and
 * a subscriber arriving while the server drains gets a 200 stream with only the {@code retry:}
 * hint, since an {@code EventSource} would give up for good on a 503.
 */
class SseDrainTest {

  @Test
  void drainEndsStreamsAndTellsNewcomersToComeBack() throws Exception {
    TestServer server = TestServer.start(Map.of("ROOMCAST_DRAIN_SECONDS", "2"));
    Thread drain = new Thread(server.server::shutdownGracefully, "drain");
    // two members: the drain closes them 1 s apart, and the server is up in between
    try (SseClient first = SseClient.open(server.http("/events/drain"));
        SseClient second = SseClient.open(server.http("/events/drain"))) {
      first.next("system");
      second.next("system");
      drain.start();
      TestServer.await(
          "one stream ended",
          Duration.ofSeconds(5),
          () -> server.server.hub().roomSize("drain") < 2);
      try (SseClient late = SseClient.open(server.http("/events/drain"))) {
        assertThat(late.status()).isEqualTo(200);
        assertThat(late.contentType()).startsWith("text/event-stream");
        assertThat(late.awaitEnd(Duration.ofSeconds(5))).isTrue();
        assertThat(late.lines).containsExactly("retry: 1000", "");
      }
      assertThat(first.awaitEnd(Duration.ofSeconds(5))).as("the first stream ended").isTrue();
      assertThat(second.awaitEnd(Duration.ofSeconds(5))).as("the second stream ended").isTrue();
    } finally {
      drain.join(10_000);
      server.close();
    }
  }
}
