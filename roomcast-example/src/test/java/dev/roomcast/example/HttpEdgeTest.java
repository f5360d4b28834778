package dev.roomcast.example;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The plain-HTTP side of the port against strangers (issue 13): request smuggling shapes, bodies
 * that trickle, stop or never end, clients that never read, refused origins, floods of publishes.
 * Nothing here may hold a worker thread, leave a connection open past its deadline, or put a stack
 * trace in a response or the log.
 */
class HttpEdgeTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String GOOD_ORIGIN = "http://chat.example";
  static TestServer server;

  @BeforeAll
  static void start() throws IOException {
    server =
        TestServer.start(
            Map.of(
                "ROOMCAST_BODY_TIMEOUT_SECONDS", "2",
                "ROOMCAST_ALLOWED_ORIGINS", GOOD_ORIGIN,
                "ROOMCAST_MAX_MESSAGE_BYTES", "4096"));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static String post(String room, String headers, String body) {
    return "POST /rooms/" + room + "/messages HTTP/1.1\r\nHost: x\r\n" + headers + "\r\n" + body;
  }

  @Test
  void contentLengthWithTransferEncodingIs400AndThePipelinedRequestIsNeverAnswered()
      throws Exception {
    try (RawHttp c = RawHttp.connect(server.port())) {
      String smuggled = "GET /health HTTP/1.1\r\nHost: x\r\n\r\n";
      c.send(
          post("smuggle", "Content-Length: 4\r\nTransfer-Encoding: chunked\r\n", "0\r\n\r\n")
              + smuggled);
      RawHttp.Received r = c.readUntilClosed(Duration.ofSeconds(10));
      assertThat(r.status()).isEqualTo("HTTP/1.1 400 Bad Request");
      assertThat(r.text()).contains("both Content-Length and Transfer-Encoding");
      assertThat(r.responses()).as("the smuggled request got no answer").isEqualTo(1);
      assertThat(r.closed()).isTrue();
    }
  }

  @Test
  void transferEncodingsOtherThanChunkedAreRefusedAndClosed() throws Exception {
    for (String te : List.of("gzip, chunked", "chunked, chunked", "identity")) {
      try (RawHttp c = RawHttp.connect(server.port())) {
        c.send(post("te", "Transfer-Encoding: " + te + "\r\n", "5\r\nhello\r\n0\r\n\r\n"));
        RawHttp.Received r = c.readUntilClosed(Duration.ofSeconds(10));
        assertThat(r.status()).as(te).startsWith("HTTP/1.1 501");
        assertThat(r.closed()).as(te).isTrue();
      }
    }
    try (RawHttp c = RawHttp.connect(server.port())) {
      c.send("POST /rooms/te/messages HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n");
      RawHttp.Received r = c.readUntilClosed(Duration.ofSeconds(10));
      assertThat(r.status()).startsWith("HTTP/1.1 400");
      assertThat(r.closed()).isTrue();
    }
  }

  @Test
  void webSocketUpgradesThatAreNotGetOverHttp11AreRefused() throws Exception {
    String upgrade =
        "Upgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n";
    for (String line :
        List.of("POST /lobby HTTP/1.1", "GET /lobby HTTP/1.0", "PUT /lobby HTTP/1.1")) {
      try (RawHttp c = RawHttp.connect(server.port())) {
        c.send(line + "\r\nHost: x\r\n" + upgrade + "Content-Length: 0\r\n\r\n");
        RawHttp.Received r = c.readUntilClosed(Duration.ofSeconds(10));
        assertThat(r.status()).as(line).startsWith("HTTP/1.1 400");
        assertThat(r.text()).as(line).doesNotContain("101").contains("GET over HTTP/1.1");
        assertThat(r.closed()).as(line).isTrue();
      }
    }
    assertThat(server.metrics().path("roomcast").path("websocket_sessions").asInt()).isZero();
  }

  @Test
  void aBodyDeclaredOverTheLimitIs413AndTheConnectionEndsWithoutReadingIt() throws Exception {
    try (RawHttp c = RawHttp.connect(server.port())) {
      c.send(post("big", "Content-Length: 10000000\r\n", ""));
      // the client keeps sending while the server answers: it must still get the 413
      CompletableFuture<Void> pump =
          CompletableFuture.runAsync(
              () -> {
                byte[] chunk = new byte[64 * 1024];
                Arrays.fill(chunk, (byte) 'x');
                try {
                  for (int i = 0; i < 150; i++) {
                    c.send(chunk);
                  }
                } catch (IOException closedByServer) {
                  // expected once the server has answered and gone
                }
              });
      long t0 = System.nanoTime();
      RawHttp.Received r = c.readUntilClosed(Duration.ofSeconds(15));
      long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
      assertThat(r.status()).isEqualTo("HTTP/1.1 413 Request Entity Too Large");
      assertThat(r.text()).contains("message too large (max 4096 bytes)");
      assertThat(r.closed()).isTrue();
      assertThat(ms)
          .as("closed after the linger time, not the 30 s idle timeout")
          .isLessThan(10_000);
      pump.get(20, TimeUnit.SECONDS);
    }
  }

  @Test
  void slowBodiesHoldNoWorkerAndEndWith408AtTheirDeadline() throws Exception {
    List<RawHttp> slow = new ArrayList<>();
    try {
      for (int i = 0; i < 8; i++) { // twice Grizzly's worker threads on this machine
        RawHttp c = RawHttp.connect(server.port());
        c.send(post("slow", "Content-Length: 1000\r\n", "{"));
        slow.add(c);
      }
      long[] ms = new long[10];
      for (int i = 0; i < ms.length; i++) {
        long t0 = System.nanoTime();
        HttpResponse<String> health = server.get("/health");
        ms[i] = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertThat(health.statusCode()).isEqualTo(200);
        for (RawHttp c : slow) {
          c.send("\"");
        }
      }
      Arrays.sort(ms);
      System.out.println("/health with 8 slow bodies open, ms: " + Arrays.toString(ms));
      assertThat(ms[ms.length / 2]).as("median /health latency, ms").isLessThanOrEqualTo(100);
      assertThat(ms[ms.length - 1]).as("slowest /health, ms").isLessThan(1_000);
      for (RawHttp c : slow) {
        RawHttp.Received r = c.readUntilClosed(Duration.ofSeconds(10));
        assertThat(r.status()).startsWith("HTTP/1.1 408");
        assertThat(r.text()).contains("request body not received in time");
        assertThat(r.closed()).isTrue();
      }
    } finally {
      slow.forEach(RawHttp::close);
    }
    assertThat(server.metrics().path("edge").path("inbound_bytes").asLong()).isZero();
  }

  @Test
  void aBodyCutShortByAHalfCloseEndsQuietly() throws Exception {
    try (LogCapture log = new LogCapture(Level.WARNING);
        RawHttp c = RawHttp.connect(server.port())) {
      c.send(post("halfclosed", "Content-Length: 100\r\n", "{\"content\":"));
      c.shutdownOutput();
      RawHttp.Received r = c.readUntilClosed(Duration.ofSeconds(10));
      // Grizzly ends a connection whose peer half-closed it, so there is nobody to answer
      assertThat(r.closed()).isTrue();
      assertThat(r.text()).doesNotContain("Exception");
      assertThat(log.mentioning("halfclosed")).isEmpty();
      assertThat(log.mentioning("EOFException")).isEmpty();
    }
  }

  @Test
  void aRefusedOriginOnPublishIs403WithOneQuietLine() throws Exception {
    try (LogCapture log = new LogCapture(Level.INFO)) {
      HttpResponse<String> r =
          server.request(
              HttpRequest.newBuilder(server.http("/rooms/origin-check/messages"))
                  .header("Origin", "http://evil.example")
                  .POST(HttpRequest.BodyPublishers.ofString("{\"content\":1}"))
                  .build());
      assertThat(r.statusCode()).isEqualTo(403);
      assertThat(JSON.readTree(r.body()).path("error").asText()).isEqualTo("origin not allowed");
      assertThat(log.mentioning("origin-check")).isEmpty();
      HttpResponse<String> ok =
          server.request(
              HttpRequest.newBuilder(server.http("/rooms/origin-check/messages"))
                  .header("Origin", GOOD_ORIGIN)
                  .POST(HttpRequest.BodyPublishers.ofString("{\"content\":1}"))
                  .build());
      assertThat(ok.statusCode()).isEqualTo(200);
    }
  }

  @Test
  void aClientThatPipelinesRequestsItNeverReadsIsBoundedAndOthersAreServed() throws Exception {
    try (RawHttp c = RawHttp.connect(server.port(), 4096)) {
      String many = "GET /roomcast.js HTTP/1.1\r\nHost: x\r\n\r\n".repeat(1000);
      CompletableFuture<Void> flood =
          CompletableFuture.runAsync(
              () -> {
                try {
                  c.send(many);
                } catch (IOException closedByServer) {
                  // expected
                }
              });
      // meanwhile, everybody else is served
      for (int i = 0; i < 20; i++) {
        assertThat(server.get("/health").statusCode()).isEqualTo(200);
      }
      flood.get(60, TimeUnit.SECONDS);
      // Grizzly answers at most its keep-alive request count (256) on one connection, then
      // closes it; what did not fit the socket buffers waits in a bounded write queue
      RawHttp.Received r = c.readUntilClosed(Duration.ofSeconds(30));
      assertThat(r.closed()).isTrue();
      assertThat(r.responses()).isBetween(1, 256);
    }
  }

  @Test
  void errorBodiesCarryNoStackTrace() throws Exception {
    for (String request :
        List.of(
            "GET / HTTP/2.0\r\nHost: x\r\n\r\n",
            "GET / HTTP/1.1\r\n\r\n",
            "GET /%%% HTTP/1.1\r\nHost: x\r\n\r\n",
            "POST /rooms/x/messages HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n")) {
      try (RawHttp c = RawHttp.connect(server.port())) {
        c.send(request);
        RawHttp.Received r = c.readUntilClosed(Duration.ofSeconds(5));
        assertThat(r.text()).as(request).doesNotContain("Exception").doesNotContain("\tat ");
      }
    }
  }
}
