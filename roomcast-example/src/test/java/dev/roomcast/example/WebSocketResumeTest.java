package dev.roomcast.example;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.roomcast.Hub;
import dev.roomcast.jakarta.testkit.WsClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Resume over WebSocket against the example server, real sockets: {@code ?since=&epoch=} after a
 * drop gets a welcome with {@code recovered: true}, exactly the missed messages in order, then live
 * traffic; no duplicate and no gap at the seam while the room is busy; {@code recovered: false} for
 * an unknown epoch.
 */
class WebSocketResumeTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static TestServer server;

  @BeforeAll
  static void start() throws Exception {
    server = TestServer.start(Map.of("ROOMCAST_PUBLISH_BURST", "1000"));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static JsonNode httpPublish(String room, String content) throws Exception {
    HttpResponse<String> r =
        server.request(
            HttpRequest.newBuilder(server.http("/rooms/" + room + "/messages"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"content\":" + content + "}"))
                .build());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return JSON.readTree(r.body());
  }

  @Test
  void dropPublishFiftyResumeGetsExactlyThoseThenLive() throws Exception {
    String epoch;
    long offset;
    try (WsClient a = WsClient.connect(server.ws("/fifty"));
        WsClient sender = WsClient.connect(server.ws("/fifty"))) {
      a.next("system");
      sender.next("system");
      sender.send("{\"content\":\"before\"}");
      JsonNode m = a.next("message");
      epoch = m.path("epoch").asText();
      offset = m.path("offset").asLong();
      a.close(); // dropped
      for (int i = 0; i < 50; i++) {
        sender.send("{\"content\":" + i + "}");
      }
      for (int i = 0; i < 50; i++) {
        sender.next("message"); // all stored before we resume
      }
      try (WsClient resumed =
          WsClient.connect(server.ws("/fifty?since=" + offset + "&epoch=" + epoch))) {
        JsonNode w = resumed.next();
        assertThat(w.path("type").asText()).isEqualTo("system");
        assertThat(w.path("recovered").asBoolean()).isTrue();
        assertThat(w.path("offset").asLong()).isEqualTo(offset);
        assertThat(w.path("epoch").asText()).isEqualTo(epoch);
        for (int i = 0; i < 50; i++) {
          JsonNode missed = resumed.next();
          assertThat(missed.path("type").asText()).isEqualTo("message");
          assertThat(missed.path("content").asInt()).isEqualTo(i);
          assertThat(missed.path("offset").asLong()).isEqualTo(offset + 1 + i);
        }
        sender.send("{\"content\":\"live\"}");
        JsonNode live = resumed.next("message");
        assertThat(live.path("content").asText()).isEqualTo("live");
        assertThat(live.path("offset").asLong()).isEqualTo(offset + 51);
        resumed.assertNoFrameWithin(Duration.ofMillis(200));
      }
    }
  }

  @Test
  void resumingUnderConcurrentPublishingHasNoDuplicateAndNoGapAtTheSeam() throws Exception {
    String room = "busy";
    Hub hub = server.server.hub();
    AtomicBoolean stop = new AtomicBoolean();
    AtomicInteger published = new AtomicInteger();
    // the observer stays connected: the reference of what every offset holds
    try (WsClient observer = WsClient.connect(server.ws("/" + room))) {
      observer.next("system");
      Thread publisher =
          new Thread(
              () -> {
                while (!stop.get()) {
                  int n = published.incrementAndGet();
                  hub.publish(room, Integer.toString(n)).toCompletableFuture().join();
                  try {
                    Thread.sleep(1); // busy, not a flood that would overflow the observer
                  } catch (InterruptedException e) {
                    return;
                  }
                }
              },
              "publisher");
      publisher.start();
      Map<Long, Integer> seenByResumers = new HashMap<>();
      try {
        WsClient c = WsClient.connect(server.ws("/" + room));
        JsonNode w = c.next("system");
        String epoch = w.path("epoch").asText();
        long last = w.path("offset").asLong();
        for (int cycle = 0; cycle < 15; cycle++) {
          // read a few live messages, then drop and resume from the last one seen
          for (int i = 0; i < 10; i++) {
            JsonNode m = c.next("message");
            assertThat(m.path("offset").asLong()).as("cycle " + cycle).isEqualTo(last + 1);
            last = m.path("offset").asLong();
            seenByResumers.put(last, m.path("content").asInt());
          }
          c.close();
          Thread.sleep(5 + cycle % 4 * 10); // messages go by while away
          c = WsClient.connect(server.ws("/" + room + "?since=" + last + "&epoch=" + epoch));
          JsonNode rw = c.next();
          assertThat(rw.path("recovered").asBoolean()).as("cycle " + cycle + ": " + rw).isTrue();
          assertThat(rw.path("offset").asLong()).isEqualTo(last);
        }
        for (int i = 0; i < 10; i++) {
          JsonNode m = c.next("message");
          assertThat(m.path("offset").asLong()).isEqualTo(last + 1);
          last = m.path("offset").asLong();
          seenByResumers.put(last, m.path("content").asInt());
        }
        c.close();
      } finally {
        stop.set(true);
        publisher.join(TimeUnit.SECONDS.toMillis(10));
      }
      // the resumer saw, offset for offset, what the observer saw
      long maxSeen =
          seenByResumers.keySet().stream().mapToLong(Long::longValue).max().orElseThrow();
      List<Integer> observed = new ArrayList<>();
      long o = 0;
      while (o < maxSeen) {
        JsonNode m = observer.next("message");
        o = m.path("offset").asLong();
        observed.add(m.path("content").asInt());
        if (seenByResumers.containsKey(o)) {
          assertThat(seenByResumers.get(o)).as("offset " + o).isEqualTo(m.path("content").asInt());
        }
      }
      assertThat(seenByResumers).hasSizeGreaterThanOrEqualTo(160);
      assertThat(observed).isSorted();
    }
  }

  @Test
  void anUnknownEpochGetsRecoveredFalseThenTheCurrentEpochThenLive() throws Exception {
    JsonNode p = httpPublish("unknown", "1");
    try (WsClient c = WsClient.connect(server.ws("/unknown?since=3&epoch=notthisone"))) {
      JsonNode w = c.next();
      assertThat(w.path("recovered").asBoolean()).isFalse();
      assertThat(w.path("epoch").asText()).isEqualTo(p.path("epoch").asText());
      // the epoch it knew is gone: it gets the current one from its start
      assertThat(w.path("offset").asLong()).isZero();
      assertThat(c.next("message").path("offset").asLong()).isEqualTo(1);
      httpPublish("unknown", "2");
      JsonNode m = c.next("message");
      assertThat(m.path("offset").asLong()).isEqualTo(2);
    }
    // ahead of the room: not recoverable either
    try (WsClient c =
        WsClient.connect(server.ws("/unknown?since=99&epoch=" + p.path("epoch").asText()))) {
      assertThat(c.next().path("recovered").asBoolean()).isFalse();
    }
    // malformed resume parameters are refused with 1008
    try (WsClient c = WsClient.connect(server.ws("/unknown?since=1"))) {
      assertThat(c.awaitClose().code()).isEqualTo(1008);
    }
  }
}
