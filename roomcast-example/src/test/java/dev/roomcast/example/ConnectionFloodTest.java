package dev.roomcast.example;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.roomcast.CloseCodes;
import dev.roomcast.jakarta.testkit.RawWebSocket;
import dev.roomcast.jakarta.testkit.WsClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Connection churn and the connection limit: 10,000 connects with abrupt disconnects in a burst,
 * and connections above {@code ROOMCAST_MAX_CONNECTIONS} closed with 1013 before any room work.
 * Nothing may leak: {@code /metrics} must come back to zero connections, sessions and rooms.
 */
class ConnectionFloodTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final int MAX_CONNECTIONS = 200;
  static TestServer server;

  @BeforeAll
  static void start() throws IOException {
    server =
        TestServer.start(Map.of("ROOMCAST_MAX_CONNECTIONS", Integer.toString(MAX_CONNECTIONS)));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @AfterEach
  void nothingLeaked() {
    server.awaitNothingOpen(Duration.ofSeconds(20));
    try (WsClient a = WsClient.connect(server.ws("/after"));
        WsClient b = WsClient.connect(server.ws("/after"))) {
      a.next("system");
      b.next("system");
      a.send("{\"content\":\"ok\"}");
      assertThat(b.next("message").path("content").asText()).isEqualTo("ok");
    }
  }

  @Test
  void tenThousandConnectsAndAbruptDisconnects() throws Exception {
    int total = 10_000;
    int threads = 16; // at most 16 sockets open at once: far below the fd limit and the cap
    AtomicInteger next = new AtomicInteger();
    AtomicInteger welcomed = new AtomicInteger();
    AtomicInteger failed = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    // vanishing clients are routine on a public server: they must not fill the log with warnings
    AtomicInteger warnings = new AtomicInteger();
    java.util.logging.Logger roomcastLog = java.util.logging.Logger.getLogger("dev.roomcast");
    java.util.logging.Handler counter =
        new java.util.logging.Handler() {
          @Override
          public void publish(java.util.logging.LogRecord r) {
            if (r.getLevel().intValue() >= java.util.logging.Level.WARNING.intValue()) {
              warnings.incrementAndGet();
            }
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        };
    roomcastLog.addHandler(counter);
    long t0 = System.nanoTime();
    try {
      List<Future<?>> workers = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        workers.add(
            pool.submit(
                () -> {
                  for (int i = next.getAndIncrement(); i < total; i = next.getAndIncrement()) {
                    try {
                      if (churnOnce(i)) {
                        welcomed.incrementAndGet();
                      }
                    } catch (IOException e) {
                      failed.incrementAndGet();
                    }
                  }
                  return null;
                }));
      }
      for (Future<?> w : workers) {
        w.get(3, TimeUnit.MINUTES);
      }
    } finally {
      pool.shutdownNow();
      roomcastLog.removeHandler(counter);
    }
    long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0);
    // every cycle that sent a full handshake and waited was welcomed: the server kept up
    assertThat(welcomed.get())
        .as("welcomed, of " + total / 2 + " that waited")
        .isEqualTo(total / 2);
    assertThat(failed.get()).isZero();
    // other test classes run in parallel in this JVM and may warn; 5,000 here would be ours
    assertThat(warnings.get()).as("warnings logged").isLessThan(50);
    assertThat(seconds).as("burst duration").isLessThan(150);
  }

  /**
   * One connection, ended abruptly in one of four ways.
   *
   * @return whether it was welcomed into its room
   */
  private static boolean churnOnce(int i) throws IOException {
    String room = "/flood-" + (i % 10);
    RawWebSocket c = RawWebSocket.open(server.port(), 0);
    try {
      switch (i % 4) {
        case 0: // welcomed, then reset
          c.handshake(room, "");
          return readWelcome(c);
        case 1: // welcomed, then FIN without a close frame
          c.handshake(room, "");
          boolean ok = readWelcome(c);
          c.close();
          return ok;
        case 2: // half a handshake, then reset
          c.rawOut()
              .write(
                  ("GET " + room + " HTTP/1.1\r\nUpgrade: webso")
                      .getBytes(StandardCharsets.US_ASCII));
          c.rawOut().flush();
          return false;
        default: // full handshake, gone before reading the answer
          c.rawOut()
              .write(
                  ("GET "
                          + room
                          + " HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                          + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                          + "Sec-WebSocket-Version: 13\r\n\r\n")
                      .getBytes(StandardCharsets.US_ASCII));
          c.rawOut().flush();
          return false;
      }
    } finally {
      c.abort();
    }
  }

  private static boolean readWelcome(RawWebSocket c) throws IOException {
    String text = c.readText();
    return JSON.readTree(text).path("message").asText().startsWith("Welcome");
  }

  @Test
  void aboveTheLimitNewConnectionsGet1013BeforeAnyRoomWork() throws Exception {
    List<RawWebSocket> open = new ArrayList<>();
    try {
      for (int i = 0; i < MAX_CONNECTIONS; i++) {
        RawWebSocket c = RawWebSocket.connect(server.port(), "/full-" + (i % 5));
        readWelcome(c);
        open.add(c);
      }
      assertThat(server.metrics().path("total_connections").asInt()).isEqualTo(MAX_CONNECTIONS);
      long rejectedBefore = server.metrics().path("roomcast").path("connections_rejected").asLong();
      for (String room : List.of("/full-0", "/a-new-room")) {
        try (RawWebSocket extra = RawWebSocket.connect(server.port(), room)) {
          RawWebSocket.Frame first = extra.read();
          assertThat(first.opcode()).as("no welcome, only a close").isEqualTo(RawWebSocket.CLOSE);
          assertThat(first.closeCode()).isEqualTo(CloseCodes.TRY_AGAIN_LATER);
          assertThat(first.closeReason()).isEqualTo("server is full; try again later");
        }
      }
      JsonNode m = server.metrics();
      assertThat(m.path("total_connections").asInt()).isEqualTo(MAX_CONNECTIONS);
      assertThat(server.server.hub().roomSize("a-new-room"))
          .as("no room work for a refused join")
          .isZero();
      assertThat(m.path("roomcast").path("connections_rejected").asLong() - rejectedBefore)
          .isEqualTo(2);
      // one leaves, one more fits
      open.remove(0).abort();
      TestServer.await(
          "a slot is free",
          Duration.ofSeconds(10),
          () -> server.metrics().path("total_connections").asInt() == MAX_CONNECTIONS - 1);
      try (RawWebSocket again = RawWebSocket.connect(server.port(), "/full-0")) {
        assertThat(readWelcome(again)).isTrue();
      }
    } finally {
      open.forEach(RawWebSocket::abort);
    }
  }
}
