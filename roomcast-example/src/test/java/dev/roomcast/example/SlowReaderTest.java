package dev.roomcast.example;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roomcast.CloseCodes;
import dev.roomcast.jakarta.testkit.RawWebSocket;
import dev.roomcast.jakarta.testkit.WsClient;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A client that never reads: its TCP receive window fills, the server's writes stop completing, its
 * outbox (small for this server) overflows, and it is cut loose with 4000 while the rest of the
 * room keeps receiving everything.
 */
class SlowReaderTest {
  static final int MESSAGES = 400;
  static TestServer server;

  @BeforeAll
  static void start() throws IOException {
    server =
        TestServer.start(
            Map.of(
                "ROOMCAST_OUTBOX_MAX_FRAMES", "32",
                "ROOMCAST_OUTBOX_MAX_BYTES", "65536",
                "ROOMCAST_PUBLISH_BURST", "1000",
                "ROOMCAST_NOTICES", "off"));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void aClientThatNeverReadsIsCutLooseWith4000AndOthersKeepReceiving() throws Exception {
    String payload = "x".repeat(16 * 1024); // 400 x 16 KiB: far beyond any socket buffers
    try (RawWebSocket stuck = RawWebSocket.open(server.port(), 4096);
        WsClient sender = WsClient.connect(server.ws("/slow"));
        WsClient reader = WsClient.connect(server.ws("/slow"))) {
      assertThat(stuck.handshake("/slow", "")).startsWith("HTTP/1.1 101");
      sender.next("system");
      reader.next("system");
      TestServer.await(
          "three members", Duration.ofSeconds(5), () -> server.server.hub().roomSize("slow") == 3);
      long slowBefore = server.metrics().path("roomcast").path("slow_consumers_closed").asLong();

      for (int i = 0; i < MESSAGES; i++) {
        sender.send("{\"content\":{\"i\":" + i + ",\"pad\":\"" + payload + "\"}}");
      }
      TestServer.await(
          "the stuck client is out of the room",
          Duration.ofSeconds(10),
          () -> server.server.hub().roomSize("slow") == 2);
      // when it reads again (within the close grace), it finds what was queued before the cut,
      // then the 4000 close
      RawWebSocket.Frame close = stuck.awaitClose();
      assertThat(close).as("a close frame, not just a dropped connection").isNotNull();
      assertThat(close.closeCode()).isEqualTo(CloseCodes.SLOW_CONSUMER);
      // the reader gets every message, in order, the cut changed nothing for it
      for (int i = 0; i < MESSAGES; i++) {
        assertThat(reader.next("message").path("content").path("i").asInt()).isEqualTo(i);
      }
      assertThat(
              server.metrics().path("roomcast").path("slow_consumers_closed").asLong() - slowBefore)
          .isEqualTo(1);
    }
    server.awaitNothingOpen(Duration.ofSeconds(10));
  }
}
