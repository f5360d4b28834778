package dev.roomcast.example;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.roomcast.jakarta.testkit.WsClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A client publishing faster than its rate is slowed down, not dropped: at the default limits (100
 * messages/s, burst 200) a 500-message burst from one seed-style client reaches the room whole and
 * in order, with no error frame.
 */
class BurstDeliveryTest {
  static TestServer server;

  @BeforeAll
  static void start() throws Exception {
    server = TestServer.start();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void aBurstOf500AtTheDefaultLimitsIsDeliveredWholeAndInOrder() {
    try (WsClient sender = WsClient.connect(server.ws("/burst"))) {
      sender.next("system");
      try (WsClient reader = WsClient.connect(server.ws("/burst"))) {
        reader.next("system");
        sender.next("system"); // the reader's join notice
        for (int i = 0; i < 500; i++) {
          sender.send("{\"content\":" + i + "}");
        }
        assertWholeAndInOrder(reader);
        assertWholeAndInOrder(sender);
        sender.assertNoFrameWithin(Duration.ofMillis(300));
        assertThat(sender.isClosed()).isFalse();
      }
    }
    JsonNode metrics = server.metrics().path("roomcast");
    assertThat(metrics.path("messages_delayed").asLong()).isGreaterThan(0);
    assertThat(metrics.path("rate_closed").asLong()).isZero();
  }

  private static void assertWholeAndInOrder(WsClient client) {
    List<Integer> got = new ArrayList<>();
    long previousOffset = 0;
    while (got.size() < 500) {
      JsonNode m = client.next();
      assertThat(m.path("type").asText()).as("frame %s", m).isEqualTo("message");
      assertThat(m.path("offset").asLong()).isGreaterThan(previousOffset);
      previousOffset = m.path("offset").asLong();
      got.add(m.path("content").asInt());
    }
    for (int i = 0; i < 500; i++) {
      assertThat(got.get(i)).isEqualTo(i);
    }
  }
}
