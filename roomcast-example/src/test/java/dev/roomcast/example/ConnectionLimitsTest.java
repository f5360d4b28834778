package dev.roomcast.example;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roomcast.jakarta.testkit.RawWebSocket;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Per-client connection limits at the edge (issue 13): behind one trusted proxy the client is the
 * last {@code X-Forwarded-For} entry, each client address holds at most its share of connections
 * (429 past it), and connections that never send a request are few and refused at once past their
 * limit. Every count comes back to zero when the connections go.
 */
class ConnectionLimitsTest {
  static final int PER_ADDRESS = 4;
  static final int PENDING_PER_ADDRESS = 3;
  static TestServer server;

  @BeforeAll
  static void start() throws IOException {
    server =
        TestServer.start(
            Map.of(
                "ROOMCAST_TRUSTED_PROXY_HOPS", "1",
                "ROOMCAST_MAX_CONNECTIONS_PER_ADDRESS", Integer.toString(PER_ADDRESS),
                "ROOMCAST_MAX_PENDING_PER_ADDRESS", Integer.toString(PENDING_PER_ADDRESS)));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static String handshake(RawWebSocket ws, String forwardedFor) throws IOException {
    return ws.handshake("/limits", "X-Forwarded-For: " + forwardedFor + "\r\n");
  }

  @Test
  void eachForwardedClientAddressHoldsAtMostItsShare() throws Exception {
    List<RawWebSocket> open = new ArrayList<>();
    try {
      for (int i = 0; i < PER_ADDRESS; i++) {
        RawWebSocket ws = RawWebSocket.open(server.port(), 0);
        open.add(ws);
        // what the client wrote itself (left of the proxy's entry) does not count
        assertThat(handshake(ws, "198.51.100." + i + ", 203.0.113.7")).startsWith("HTTP/1.1 101");
      }
      try (RawWebSocket over = RawWebSocket.open(server.port(), 0)) {
        String status = handshake(over, "10.0.0.1, 203.0.113.7");
        assertThat(status).startsWith("HTTP/1.1 429");
        assertThat(over.responseHeaders()).containsIgnoringCase("Retry-After: 5");
      }
      try (RawWebSocket other = RawWebSocket.open(server.port(), 0)) {
        assertThat(handshake(other, "203.0.113.8")).startsWith("HTTP/1.1 101");
      }
      open.remove(0).close();
      TestServer.await("a slot is free again", Duration.ofSeconds(10), () -> fits("203.0.113.7"));
    } finally {
      open.forEach(RawWebSocket::close);
    }
    TestServer.await(
        "no client connection left",
        Duration.ofSeconds(10),
        () -> edge().path("client_connections").asInt() == 0);
  }

  /** Whether a handshake from {@code address} is let in now (the connection is closed again). */
  private static boolean fits(String address) {
    try (RawWebSocket ws = RawWebSocket.open(server.port(), 0)) {
      return handshake(ws, address).startsWith("HTTP/1.1 101");
    } catch (IOException e) {
      return false;
    }
  }

  /** The edge's counters, read in-process: over HTTP the reader would be a connection too. */
  private static com.fasterxml.jackson.databind.JsonNode edge() {
    return server.server.metricsJson().path("edge");
  }

  @Test
  void connectionsThatSendNothingAreRefusedAtOncePastTheirLimit() throws Exception {
    List<Socket> idle = new ArrayList<>();
    try {
      for (int i = 0; i < PENDING_PER_ADDRESS; i++) {
        idle.add(connect());
      }
      TestServer.await(
          "the idle ones are pending",
          Duration.ofSeconds(10),
          () -> edge().path("pending_connections").asInt() >= PENDING_PER_ADDRESS);
      try (Socket refused = connect()) {
        refused.setSoTimeout(5_000);
        InputStream in = refused.getInputStream();
        int first;
        try {
          first = in.read();
        } catch (IOException reset) {
          first = -1;
        }
        assertThat(first).as("closed without a byte").isEqualTo(-1);
      }
      assertThat(edge().path("connections_refused").asLong()).isPositive();
      // one of them sends its request: it is no longer pending, and a new one fits
      idle.get(0)
          .getOutputStream()
          .write(
              "GET /health HTTP/1.1\r\nHost: x\r\n\r\n"
                  .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      idle.get(0).setSoTimeout(5_000);
      assertThat(new String(idle.get(0).getInputStream().readNBytes(12))).isEqualTo("HTTP/1.1 200");
      try (Socket fits = connect()) {
        fits.getOutputStream()
            .write(
                "GET /health HTTP/1.1\r\nHost: x\r\n\r\n"
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        fits.setSoTimeout(5_000);
        assertThat(new String(fits.getInputStream().readNBytes(12))).isEqualTo("HTTP/1.1 200");
      }
    } finally {
      for (Socket s : idle) {
        s.close();
      }
    }
    TestServer.await(
        "nothing pending",
        Duration.ofSeconds(10),
        () -> edge().path("pending_connections").asInt() == 0);
  }

  private static Socket connect() throws IOException {
    Socket s = new Socket();
    s.connect(new InetSocketAddress("127.0.0.1", server.port()), 5_000);
    return s;
  }
}
