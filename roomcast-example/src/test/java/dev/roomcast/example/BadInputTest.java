package dev.roomcast.example;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.roomcast.CloseCodes;
import dev.roomcast.jakarta.testkit.RawWebSocket;
import dev.roomcast.jakarta.testkit.WsClient;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What strangers can send, over real sockets against the example server: broken frames, broken
 * JSON, broken handshakes, broken room names and query strings. After every test, other clients are
 * served normally and {@code /metrics} shows no connection or room left behind.
 */
class BadInputTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static TestServer server;

  @BeforeAll
  static void start() throws IOException {
    server = TestServer.start(Map.of());
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  /** Others are still served, and nothing leaked: no connection, session or room is left. */
  @AfterEach
  void othersAreServedAndNothingLeaked() {
    try (WsClient a = WsClient.connect(server.ws("/probe"));
        WsClient b = WsClient.connect(server.ws("/probe"))) {
      a.next("system");
      b.next("system");
      a.send("{\"content\":\"still fine\"}");
      assertThat(b.next("message").path("content").asText()).isEqualTo("still fine");
    }
    server.awaitNothingOpen(Duration.ofSeconds(10));
  }

  private static RawWebSocket joined(String room) throws IOException {
    RawWebSocket c = RawWebSocket.connect(server.port(), "/" + room);
    assertThat(JSON.readTree(c.readText()).path("type").asText()).isEqualTo("system");
    return c;
  }

  // ---- frames

  @Test
  void invalidUtf8InATextFrameClosesWith1007() throws IOException {
    try (RawWebSocket c = joined("utf8")) {
      c.sendFrame(
          RawWebSocket.TEXT,
          new byte[] {'{', '"', (byte) 0xc3, (byte) 0x28, (byte) 0xff, '"', '}'});
      RawWebSocket.Frame close = c.awaitClose();
      assertThat(close).isNotNull();
      assertThat(close.closeCode()).isEqualTo(1007); // RFC 6455 7.4.1: inconsistent data
    }
  }

  @Test
  void aBinaryFrameClosesWith1003() throws IOException {
    try (RawWebSocket c = joined("binary")) {
      c.sendFrame(RawWebSocket.BINARY, new byte[] {0, 1, 2, 3});
      RawWebSocket.Frame close = c.awaitClose();
      assertThat(close.closeCode()).isEqualTo(CloseCodes.UNSUPPORTED_DATA);
    }
  }

  @Test
  void aTenMegabyteFrameClosesWith1009WithoutBeingBuffered() throws Exception {
    long bytesInBefore = server.metrics().path("roomcast").path("bytes_in").asLong();
    int total = 10 * 1024 * 1024;
    try (RawWebSocket c = joined("huge")) {
      OutputStream out = c.rawOut();
      out.write(RawWebSocket.frameHeader(RawWebSocket.TEXT, true, total));
      // write the payload while reading: the server answers long before the frame is complete
      CompletableFuture<Long> sent =
          CompletableFuture.supplyAsync(
              () -> {
                byte[] chunk =
                    RawWebSocket.mask(new byte[64 * 1024], new byte[] {0x11, 0x22, 0x33, 0x44});
                java.util.Arrays.fill(chunk, (byte) 'x');
                long n = 0;
                try {
                  while (n < total) {
                    out.write(chunk);
                    n += chunk.length;
                  }
                } catch (IOException e) {
                  // the server closed the connection: expected
                }
                return n;
              });
      RawWebSocket.Frame close = c.awaitClose();
      assertThat(close).as("a close frame, not just a dropped connection").isNotNull();
      assertThat(close.closeCode()).isEqualTo(CloseCodes.TOO_BIG);
      c.close();
      sent.get(10, TimeUnit.SECONDS);
    }
    // the frame never reached the hub: it was refused while being read
    assertThat(server.metrics().path("roomcast").path("bytes_in").asLong() - bytesInBefore)
        .isLessThan(1024 * 1024);
  }

  @Test
  void aFragmentedMessageOverTheLimitClosesWith1009() throws IOException {
    try (RawWebSocket c = joined("fragments")) {
      byte[] part = new byte[40 * 1024]; // two fragments of 40 KiB: each fits, together they do not
      java.util.Arrays.fill(part, (byte) 'x');
      byte[] mask = {0x11, 0x22, 0x33, 0x44};
      OutputStream out = c.rawOut();
      out.write(RawWebSocket.frameHeader(RawWebSocket.TEXT, false, part.length));
      out.write(RawWebSocket.mask(part, mask));
      out.write(RawWebSocket.frameHeader(0x0, true, part.length)); // continuation, final
      out.write(RawWebSocket.mask(part, mask));
      out.flush();
      RawWebSocket.Frame close = c.awaitClose();
      assertThat(close).isNotNull();
      assertThat(close.closeCode()).isEqualTo(CloseCodes.TOO_BIG);
    }
  }

  @Test
  void deeplyNestedJsonGetsAnErrorFrameAndTheConnectionStays() throws IOException {
    try (RawWebSocket c = joined("deep")) {
      c.sendText("{\"content\":" + "[".repeat(10_000) + "]".repeat(10_000) + "}");
      JsonNode error = JSON.readTree(c.readText());
      assertThat(error.path("type").asText()).isEqualTo("error");
      assertThat(error.path("message").asText()).isEqualTo("JSON nested too deeply");
      c.sendText("{\"content\":[[[1]]]}");
      assertThat(JSON.readTree(c.readText()).path("content").toString()).isEqualTo("[[[1]]]");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"[1,2]", "42", "\"content\"", "null", "true", "", " "})
  void jsonThatIsNotAnObjectGetsAnErrorFrame(String frame) throws IOException {
    try (RawWebSocket c = joined("notobject")) {
      c.sendText(frame);
      JsonNode error = JSON.readTree(c.readText());
      assertThat(error.path("type").asText()).isEqualTo("error");
      assertThat(error.path("message").asText()).startsWith("Message must be a JSON object");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"{", "{\"content\":}", "{'content':1}", "{\"content\":1}x", "\u0000"})
  void brokenJsonGetsTheSeedsErrorFrame(String frame) throws IOException {
    try (RawWebSocket c = joined("broken")) {
      c.sendText(frame);
      JsonNode error = JSON.readTree(c.readText());
      assertThat(error.path("type").asText()).isEqualTo("error");
      assertThat(error.path("message").asText()).isEqualTo("Invalid JSON format");
      assertThat(error.toString()).doesNotContain("Exception").doesNotContain("jackson");
    }
  }

  @Test
  void contentMissingNullOrHuge() throws IOException {
    try (RawWebSocket c = joined("content")) {
      c.sendText("{\"other\":1}");
      assertThat(JSON.readTree(c.readText()).path("content").asText()).isEmpty(); // as the seed
      c.sendText("{\"content\":null}");
      JsonNode n = JSON.readTree(c.readText());
      assertThat(n.path("type").asText()).isEqualTo("message");
      assertThat(n.path("content").isNull()).isTrue();
      c.sendText("{\"content\":\"" + "x".repeat(40_000) + "\"}"); // under 64 KiB, over 32 KiB
      JsonNode error = JSON.readTree(c.readText());
      assertThat(error.path("type").asText()).isEqualTo("error");
      assertThat(error.path("message").asText()).isEqualTo("content too large (max 32768 bytes)");
      c.sendText("{\"content\":1e400}"); // relayed exactly, not as a double (Infinity)
      assertThat(c.readText()).contains("\"content\":1E+400,");
    }
  }

  // ---- room names and paths

  @ParameterizedTest
  @ValueSource(
      strings = {
        "/..",
        "/.",
        "/%2e%2e",
        "/%2E%2E%2F%2E%2E%2Fetc%2Fpasswd",
        "/..%2F..%2Fetc",
        "/a%2Fb",
        "/%2F",
        "/%5C..",
        "/%C3%A9t%C3%A9",
        "/%E2%80%AE",
        "/%C0%AE%C0%AE",
        "/%ED%A0%80",
        "/room%00",
        "/room%0d%0aSet-Cookie:x",
        "/%ZZ",
        "/a%",
        "/../../etc/passwd",
        "/a/b",
      })
  void roomNamesThatAreNotNamesAreRefusedAtTheHandshake(String path) throws IOException {
    String status = RawWebSocket.handshakeStatus(server.port(), path, "");
    // 400 from the room name check; 404 where the path is not the room endpoint's at all
    assertThat(status).matches("HTTP/1\\.1 40[04] .*");
  }

  @Test
  void aNameOneCharacterTooLongIsRefusedAndTheLongestIsNot() throws IOException {
    assertThat(RawWebSocket.handshakeStatus(server.port(), "/" + "r".repeat(129), ""))
        .startsWith("HTTP/1.1 400");
    try (RawWebSocket c = RawWebSocket.connect(server.port(), "/" + "r".repeat(128))) {
      assertThat(JSON.readTree(c.readText()).path("room").asText()).hasSize(128);
    }
  }

  // ---- handshakes

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 42})
  void randomBytesInsteadOfAHandshake(long seed) throws IOException {
    byte[] junk = new byte[4096];
    new java.util.Random(seed).nextBytes(junk); // seeded: a failure can be replayed
    try (RawWebSocket c = RawWebSocket.open(server.port(), 0)) {
      c.setReadTimeout(Duration.ofSeconds(2));
      String status;
      try {
        status = c.handshakeRaw(new String(junk, StandardCharsets.ISO_8859_1) + "\r\n\r\n");
      } catch (java.net.SocketTimeoutException e) {
        status = "(no answer: Grizzly waits for the rest of a request until its idle timeout)";
      }
      assertThat(status).doesNotStartWith("HTTP/1.1 101").doesNotStartWith("HTTP/1.1 200");
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "Sec-WebSocket-Key: abc\r\nSec-WebSocket-Version: 13\r\n",
        "Sec-WebSocket-Key: \r\nSec-WebSocket-Version: 13\r\n",
        "Sec-WebSocket-Version: 13\r\n",
        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 99\r\n",
        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n",
      })
  void brokenUpgradeRequestsAreNotUpgraded(String headers) throws IOException {
    try (RawWebSocket c = RawWebSocket.open(server.port(), 0)) {
      String status =
          c.handshakeRaw(
              "GET /broken HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                  + headers
                  + "\r\n");
      assertThat(status).matches("HTTP/1\\.1 4\\d\\d .*");
    }
  }

  // ---- query strings

  @ParameterizedTest
  @ValueSource(
      strings = {
        "?since=abc&epoch=",
        "?since=1&since=2&epoch=e",
        "?since=1&epoch=e&epoch=f",
        "?since=-1&epoch=e",
        "?since=99999999999999999999999&epoch=e",
        "?since=1",
        "?epoch=",
        "?since=1&epoch=%00%01",
      })
  void resumeParameterJunkClosesWith1008(String query) throws IOException {
    try (RawWebSocket c = RawWebSocket.connect(server.port(), "/query" + query)) {
      RawWebSocket.Frame close = c.awaitClose();
      assertThat(close.closeCode()).isEqualTo(CloseCodes.POLICY_VIOLATION);
      assertThat(close.closeReason()).containsAnyOf("since", "epoch");
    }
  }

  @Test
  void unknownQueryParametersAreIgnored() throws IOException {
    try (RawWebSocket c = RawWebSocket.connect(server.port(), "/query?x=&&=&y&z=1&z=2&token=")) {
      assertThat(JSON.readTree(c.readText()).path("room").asText()).isEqualTo("query");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"/query?x=%ZZ", "/query?%", "/query?a=%E0%A4%A"})
  void malformedEscapesInTheQueryAreRefusedBeforeTheUpgrade(String pathAndQuery)
      throws IOException {
    // Tyrus would answer 101 and then drop the connection on its own URI.create
    assertThat(RawWebSocket.handshakeStatus(server.port(), pathAndQuery, ""))
        .isEqualTo("HTTP/1.1 400 Bad Request");
  }

  @Test
  void aTenKilobyteQueryIsRefused() throws IOException {
    String status =
        RawWebSocket.handshakeStatus(server.port(), "/query?x=" + "a".repeat(10 * 1024), "");
    assertThat(status).startsWith("HTTP/1.1 400"); // Grizzly's 8 KiB limit on the request head
  }
}
