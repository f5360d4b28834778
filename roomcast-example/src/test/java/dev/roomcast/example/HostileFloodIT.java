package dev.roomcast.example;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.roomcast.jakarta.testkit.RawWebSocket;
import dev.roomcast.jakarta.testkit.WsClient;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * One stranger against the example jar in a JVM capped as a 512 MB container ({@code
 * -XX:MaxRAM=512m}: a 128 MB heap), set to exit on {@code OutOfMemoryError} so that running out
 * shows as a dead process: a history flood over HTTP publish, a ping flood from a peer that does
 * not read, and resuming clients that do not read their replay. After each, the server must still
 * serve everyone else, and its bounded pools must be within their bounds (issue 13).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HostileFloodIT {
  static final ObjectMapper JSON = new ObjectMapper();
  static final long HISTORY_BYTES = 16L << 20;
  static final long OUTBOX_BUDGET = 16L << 20; // the default: an eighth of a 128 MB heap
  static JarProcess server;

  @BeforeAll
  static void start() throws Exception {
    server =
        JarProcess.start(
            Map.of(
                // the flood is about memory, not the publish rate (tested on its own)
                "ROOMCAST_HTTP_PUBLISH_RATE",
                "1000000",
                "ROOMCAST_HTTP_PUBLISH_BURST",
                "1000000",
                "ROOMCAST_NOTICES",
                "off",
                // room for a replay longer than the kernel's socket buffers take (~4 MB)
                "ROOMCAST_HISTORY_ROOM_BYTES",
                Long.toString(HISTORY_BYTES),
                "ROOMCAST_HISTORY_TOTAL_BYTES",
                Long.toString(HISTORY_BYTES),
                // a per-connection bound above the hub-wide one: only the budget holds them
                "ROOMCAST_OUTBOX_MAX_BYTES",
                Long.toString(64L << 20)),
            List.of("-XX:MaxRAM=512m", "-XX:+ExitOnOutOfMemoryError"));
  }

  @AfterAll
  static void stop() throws InterruptedException {
    server.close();
  }

  /** The process is alive, answers, and a room still works. */
  @AfterEach
  void stillServing() {
    assertThat(server.process.process.isAlive())
        .as("the server is alive; output:\n" + server.process.text())
        .isTrue();
    assertThat(server.get("/health").statusCode()).isEqualTo(200);
    try (WsClient a = WsClient.connect(server.ws("/probe"));
        WsClient b = WsClient.connect(server.ws("/probe"))) {
      a.next("system");
      b.next("system");
      a.send("{\"content\":\"still fine\"}");
      assertThat(b.next("message").path("content").asText()).isEqualTo("still fine");
    }
    assertThat(server.process.text()).doesNotContain("OutOfMemoryError");
  }

  @Test
  @Order(1)
  void aHistoryFloodOverHttpPublishStaysWithinTheHistoryBound() throws Exception {
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    String body = "{\"content\":\"" + "h".repeat(32_000) + "\"}";
    Semaphore inFlight = new Semaphore(8);
    List<CompletableFuture<Integer>> all = new ArrayList<>();
    int posts = 5_000; // 160 MB of content, more than the whole heap
    for (int i = 0; i < posts; i++) {
      inFlight.acquire();
      all.add(
          http.sendAsync(
                  HttpRequest.newBuilder(server.http("/rooms/flood-" + (i % 8) + "/messages"))
                      .POST(HttpRequest.BodyPublishers.ofString(body))
                      .build(),
                  HttpResponse.BodyHandlers.discarding())
              .thenApply(HttpResponse::statusCode)
              .whenComplete((s, e) -> inFlight.release()));
    }
    long ok = 0;
    for (CompletableFuture<Integer> f : all) {
      if (f.get(60, TimeUnit.SECONDS) == 200) {
        ok++;
      }
    }
    assertThat(ok).as("every publish was taken").isEqualTo(posts);
    JsonNode m = server.metrics();
    long history = m.path("roomcast").path("history_bytes").asLong();
    System.out.println("history bytes after the flood: " + history);
    assertThat(history).isPositive().isLessThanOrEqualTo(HISTORY_BYTES);
  }

  @Test
  @Order(2)
  void aPingFloodFromAPeerThatDoesNotReadIsCutOff() throws Exception {
    try (RawWebSocket flooder = RawWebSocket.connect(server.port, "/pings", 4096)) {
      byte[] key = {1, 2, 3, 4};
      byte[] ping = new byte[131];
      ping[0] = (byte) 0x89;
      ping[1] = (byte) (0x80 | 125);
      System.arraycopy(key, 0, ping, 2, 4);
      byte[] batch = new byte[ping.length * 1000];
      for (int i = 0; i < 1000; i++) {
        System.arraycopy(ping, 0, batch, i * ping.length, ping.length);
      }
      long sent = 0;
      try {
        for (int i = 0; i < 2_000; i++) { // at most 2,000,000 pings, 262 MB
          flooder.rawOut().write(batch);
          sent += 1000;
        }
      } catch (IOException cutOff) {
        // the server closed the connection
      }
      System.out.println("pings sent before the cut: " + sent);
      JarProcessAwait.until(
          "the flooder was cut off",
          () -> server.metrics().path("edge").path("write_queue_overflows").asLong() > 0);
    }
  }

  @Test
  @Order(3)
  void resumingClientsThatDoNotReadTheirReplayAreShedByTheOutboxBudget() throws Exception {
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    String body = "{\"content\":\"" + "r".repeat(12_000) + "\"}";
    String epoch = null;
    for (int i = 0; i < 1000; i++) { // 12 MB of history, whole from offset 1
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(server.http("/rooms/replay/messages"))
                  .POST(HttpRequest.BodyPublishers.ofString(body))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).isEqualTo(200);
      epoch = JSON.readTree(r.body()).path("epoch").asText();
    }
    // each would hold what its socket buffers do not take, about 8 MB: 20 of them are more than
    // the heap
    List<RawWebSocket> stalled = new ArrayList<>();
    try {
      for (int i = 0; i < 20; i++) {
        stalled.add(RawWebSocket.connect(server.port, "/replay?since=0&epoch=" + epoch, 4096));
      }
      JarProcessAwait.until(
          "the outbox budget shed readers that do not read",
          () -> server.metrics().path("roomcast").path("budget_closed").asLong() > 0);
      JsonNode m = server.metrics();
      System.out.println(
          "budget_closed "
              + m.path("roomcast").path("budget_closed").asLong()
              + ", queued_bytes "
              + m.path("roomcast").path("queued_bytes").asLong());
      assertThat(m.path("roomcast").path("queued_bytes").asLong())
          .isLessThanOrEqualTo(OUTBOX_BUDGET);
    } finally {
      stalled.forEach(RawWebSocket::abort);
    }
  }

  /** Polling for the process' state. */
  static final class JarProcessAwait {
    static void until(String what, java.util.function.BooleanSupplier condition) {
      TestServer.await(what, Duration.ofSeconds(60), condition);
    }
  }
}
