package dev.roomcast.jakarta;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roomcast.AuthenticationException;
import dev.roomcast.Authenticator;
import dev.roomcast.CloseCodes;
import dev.roomcast.Hub;
import dev.roomcast.Identity;
import dev.roomcast.RoomAuthorizer;
import dev.roomcast.jakarta.testkit.RawWebSocket;
import dev.roomcast.jakarta.testkit.WsClient;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The handshake checks of the Jakarta endpoint in Tyrus: origin, room name, authentication and
 * authorization refused with HTTP statuses, or with 1008 right after open when the deployment asks
 * for that; the identity found at the handshake is the one the hub checks on publish.
 */
class HandshakeTest {
  static TyrusHarness statuses;
  static TyrusHarness closes;
  static final Set<String> seenRemotes = ConcurrentHashMap.newKeySet();

  /** "Bearer alice" may publish; "Bearer bob" may only join; "secret" is alice's room only. */
  static Hub securedHub() {
    Authenticator tokens =
        req -> {
          seenRemotes.add(String.valueOf(req.remoteAddress()));
          String t = req.bearerToken() != null ? req.bearerToken() : req.queryParam("token");
          if (!"alice".equals(t) && !"bob".equals(t)) {
            throw new AuthenticationException("missing or invalid token");
          }
          return new Identity(t, Map.of());
        };
    RoomAuthorizer rules =
        (who, room, action) ->
            room.equals("secret")
                ? who.subject().equals("alice")
                : action == RoomAuthorizer.Action.JOIN || who.subject().equals("alice");
    return Hub.builder().authenticator(tokens).authorizer(rules).build();
  }

  @BeforeAll
  static void start() throws Exception {
    RoomcastEndpointConfig.Builder config =
        RoomcastEndpointConfig.builder()
            .pingInterval(Duration.ZERO)
            .allowedOrigins(o -> o == null || o.equals("https://good.example"));
    statuses = TyrusHarness.start(securedHub(), config.build());
    closes = TyrusHarness.start(securedHub(), config.refuseAtHandshake(false).build());
  }

  @AfterAll
  static void stop() {
    statuses.close();
    closes.close();
  }

  private static String status(String path, String headers) throws Exception {
    return RawWebSocket.handshakeStatus(statuses.port, path, headers);
  }

  @Test
  void refusalsAreHttpStatusesAtTheHandshake() throws Exception {
    String alice = "Authorization: Bearer alice\r\n";
    assertThat(status("/r", alice)).startsWith("HTTP/1.1 101");
    assertThat(status("/r?token=bob", "")).startsWith("HTTP/1.1 101");
    assertThat(status("/r", "")).isEqualTo("HTTP/1.1 401 Unauthorized");
    assertThat(status("/r", "Authorization: Bearer mallory\r\n")).startsWith("HTTP/1.1 401");
    assertThat(status("/secret", "Authorization: Bearer bob\r\n")).startsWith("HTTP/1.1 403");
    assertThat(status("/r", alice + "Origin: https://evil.example\r\n")).startsWith("HTTP/1.1 403");
    assertThat(status("/r", alice + "Origin: https://good.example\r\n")).startsWith("HTTP/1.1 101");
    assertThat(status("/.hidden", alice)).startsWith("HTTP/1.1 400");
    assertThat(seenRemotes).contains("127.0.0.1");
    // The accepted upgrades above were dropped by the raw client; the server notices each close
    // asynchronously, so wait for the count to settle rather than read it at once.
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
    while (statuses.hub.metrics().connections() != 0 && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertThat(statuses.hub.metrics().connections()).isZero();
  }

  @Test
  void aRefusedHandshakeCarriesNoUpgradeHeaders() throws Exception {
    try (java.net.Socket s = new java.net.Socket("127.0.0.1", statuses.port)) {
      s.getOutputStream()
          .write(
              ("GET /r HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                      + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                      + "Sec-WebSocket-Version: 13\r\n\r\n")
                  .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      s.setSoTimeout(5000);
      byte[] head = new byte[2048];
      int n = s.getInputStream().read(head);
      String response = new String(head, 0, n, java.nio.charset.StandardCharsets.US_ASCII);
      assertThat(response).startsWith("HTTP/1.1 401 Unauthorized");
      assertThat(response.toLowerCase(java.util.Locale.ROOT))
          .doesNotContain("sec-websocket-accept")
          .doesNotContain("upgrade: websocket");
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "/..",
        "/%2e%2e",
        "/%2E%2E%2Fetc",
        "/a%2Fb",
        "/%C3%A9t%C3%A9",
        "/%C0%AE%C0%AE",
        "/room%00",
        "/%20",
      })
  void roomNamesThatAreNotNamesNeverOpen(String path) throws Exception {
    String status = status(path, "Authorization: Bearer alice\r\n");
    // 400 from the room check, or 404 where Tyrus does not match the path to the endpoint at all
    assertThat(status).matches("HTTP/1\\.1 40[04].*");
    assertThat(statuses.hub.roomCount()).isZero();
  }

  @ParameterizedTest
  @ValueSource(strings = {"/%ZZ", "/a%", "/%"})
  void malformedEscapesNeverOpen(String path) throws Exception {
    // Tyrus' Grizzly filter fails on the URI and Grizzly drops the connection (no response, a
    // logged warning); the example server answers these itself before Tyrus sees them
    assertThat(status(path, "Authorization: Bearer alice\r\n")).doesNotStartWith("HTTP/1.1 101");
    assertThat(statuses.hub.roomCount()).isZero();
  }

  @Test
  void withoutHandshakeStatusesRefusalsClose1008RightAfterOpen() throws Exception {
    assertThat(closes.deployment.config().refuseAtHandshake()).isFalse();
    try (WsClient c = WsClient.connect(closes.ws("/r"))) {
      WsClient.Close close = c.awaitClose();
      assertThat(close.code()).isEqualTo(CloseCodes.POLICY_VIOLATION);
      assertThat(close.reason()).isEqualTo("missing or invalid token");
    }
    try (WsClient c = WsClient.connect(closes.ws("/secret?token=bob"))) {
      assertThat(c.awaitClose().code()).isEqualTo(CloseCodes.POLICY_VIOLATION);
    }
    try (WsClient c = WsClient.connect(closes.ws("/%2e%2e?token=alice"))) {
      WsClient.Close close = c.awaitClose();
      assertThat(close.code()).isEqualTo(CloseCodes.POLICY_VIOLATION);
      assertThat(close.reason()).contains("invalid room name");
    }
    // the origin check is the container's own: 403 whatever the setting
    assertThat(
            RawWebSocket.handshakeStatus(
                closes.port, "/r?token=alice", "Origin: https://evil.example\r\n"))
        .startsWith("HTTP/1.1 403");
    assertThat(closes.hub.metrics().connections()).isZero();
    assertThat(closes.hub.roomCount()).isZero();
  }

  @Test
  void theHandshakeIdentityIsTheOneCheckedOnPublish() {
    try (WsClient alice = WsClient.connect(statuses.ws("/pub?token=alice"));
        WsClient bob = WsClient.connect(statuses.ws("/pub?token=bob"))) {
      alice.next("system");
      bob.next("system");
      bob.send("{\"content\":\"from bob\"}");
      assertThat(bob.next("error").path("message").asText())
          .isEqualTo("not allowed to publish in this room");
      alice.send("{\"content\":\"from alice\"}");
      assertThat(bob.next("message").path("content").asText()).isEqualTo("from alice");
    }
  }

  @Test
  void theRoomIsTheLastRawSegmentWhateverTheContextPath() {
    assertThat(HandshakeGate.roomOf(java.net.URI.create("/lobby"))).isEqualTo("lobby");
    // servlet containers put their context path in front
    assertThat(HandshakeGate.roomOf(java.net.URI.create("ws://h/app/ws/lobby?x=1")))
        .isEqualTo("lobby");
    assertThat(HandshakeGate.roomOf(java.net.URI.create("/ws/a%2Fb"))).isEqualTo("a/b");
    assertThat(HandshakeGate.roomOf(java.net.URI.create("/ws/"))).isEqualTo("\u0000");
    assertThat(HandshakeGate.roomOf(java.net.URI.create("/ws/%C0%AE"))).isEqualTo("\u0000");
  }

  @Test
  void strictDecodingOfTheRoomSegment() {
    assertThat(HandshakeGate.decodeStrict("lobby")).isEqualTo("lobby");
    assertThat(HandshakeGate.decodeStrict("a%3Ab")).isEqualTo("a:b");
    assertThat(HandshakeGate.decodeStrict("%C3%A9")).isEqualTo("\u00e9");
    assertThat(HandshakeGate.decodeStrict("%C0%AE")).isNull(); // overlong '.'
    assertThat(HandshakeGate.decodeStrict("%FF")).isNull();
    assertThat(HandshakeGate.decodeStrict("%4")).isNull();
    assertThat(HandshakeGate.decodeStrict("%G0")).isNull();
    assertThat(HandshakeGate.decodeStrict("\u00e9%20")).isNull();
  }
}
