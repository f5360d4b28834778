package dev.roomcast.example;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JWSAlgorithm;
import dev.roomcast.jakarta.testkit.RawWebSocket;
import dev.roomcast.jakarta.testkit.WsClient;
import java.io.IOException;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The example server with a token secret, issuer, audience and an origin allow-list: who gets in,
 * who is refused with which HTTP status at the WebSocket handshake, and what a {@code rooms} claim
 * allows.
 */
class AuthTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static TestServer server;

  @BeforeAll
  static void start() throws IOException {
    server =
        TestServer.start(
            Map.of(
                "ROOMCAST_JWT_SECRET", Tokens.SECRET,
                "ROOMCAST_JWT_ISSUER", Tokens.ISSUER,
                "ROOMCAST_JWT_AUDIENCE", Tokens.AUDIENCE,
                "ROOMCAST_ALLOWED_ORIGINS", "https://chat.example.com, http://localhost:8080/"));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static String status(String pathAndQuery, String headers) throws IOException {
    return RawWebSocket.handshakeStatus(server.port(), pathAndQuery, headers);
  }

  private static String bearer(String token) {
    return "Authorization: Bearer " + token + "\r\n";
  }

  @Test
  void aValidTokenInTheHeaderOrTheQueryGetsIn() throws IOException {
    assertThat(status("/lobby", bearer(Tokens.token("alice")))).startsWith("HTTP/1.1 101");
    assertThat(status("/lobby?token=" + Tokens.token("alice"), "")).startsWith("HTTP/1.1 101");
    try (WsClient c = WsClient.connect(server.ws("/lobby?token=" + Tokens.token("alice")))) {
      assertThat(c.next("system").path("room").asText()).isEqualTo("lobby");
      c.send("{\"content\":\"hi\"}");
      assertThat(c.next("message").path("content").asText()).isEqualTo("hi");
    }
  }

  @Test
  void missingExpiredOrForgedTokensAre401() throws IOException {
    String expired =
        Tokens.token("alice", b -> b.expirationTime(Date.from(Instant.now().minusSeconds(120))));
    String noExp = Tokens.token("alice", b -> b.expirationTime(null));
    String wrongKey =
        Tokens.sign(
            Tokens.claims("alice").build(),
            "another-secret-that-is-long-enough-too!!",
            JWSAlgorithm.HS256);
    String hs512 =
        Tokens.sign(
            Tokens.claims("alice").build(), Tokens.SECRET + Tokens.SECRET, JWSAlgorithm.HS512);
    String wrongIssuer = Tokens.token("alice", b -> b.issuer("https://evil.example"));
    String wrongAudience = Tokens.token("alice", b -> b.audience("other-app"));
    String tampered = Tokens.token("alice").replaceFirst("\\.[^.]{4}", ".AAAA");
    for (String headers :
        List.of(
            "",
            "Authorization: Bearer\r\n",
            "Authorization: Basic YWxpY2U6cHc=\r\n",
            bearer("not-a-jwt"),
            bearer(expired),
            bearer(noExp),
            bearer(wrongKey),
            bearer(hs512),
            bearer(Tokens.unsigned("alice")),
            bearer(wrongIssuer),
            bearer(wrongAudience),
            bearer(tampered),
            bearer("x".repeat(5000)))) {
      assertThat(status("/lobby", headers))
          .as(headers.substring(0, Math.min(60, headers.length())))
          .isEqualTo("HTTP/1.1 401 Unauthorized");
    }
    assertThat(status("/lobby?token=", "")).isEqualTo("HTTP/1.1 401 Unauthorized");
    assertThat(server.server.hub().metrics().connections()).isZero();
  }

  @Test
  void theRoomsClaimLimitsJoiningAndPatternsWork() throws IOException {
    String token = Tokens.token("bob", b -> b.claim("rooms", List.of("lobby", "team-7-*")));
    assertThat(status("/lobby", bearer(token))).startsWith("HTTP/1.1 101");
    assertThat(status("/team-7-ops", bearer(token))).startsWith("HTTP/1.1 101");
    assertThat(status("/team-8-ops", bearer(token))).isEqualTo("HTTP/1.1 403 Forbidden");
    assertThat(status("/", bearer(token))).startsWith("HTTP/1.1 403"); // room "default"
    String single = Tokens.token("carol", b -> b.claim("rooms", "only"));
    assertThat(status("/only", bearer(single))).startsWith("HTTP/1.1 101");
    assertThat(status("/lobby", bearer(single))).startsWith("HTTP/1.1 403");
    String none = Tokens.token("dave", b -> b.claim("rooms", List.of()));
    assertThat(status("/lobby", bearer(none))).startsWith("HTTP/1.1 403");
    String malformed = Tokens.token("eve", b -> b.claim("rooms", List.of("ok", 42)));
    assertThat(status("/ok", bearer(malformed))).startsWith("HTTP/1.1 401");
    String bad = Tokens.token("eve", b -> b.claim("rooms", List.of("../x")));
    assertThat(status("/x", bearer(bad))).startsWith("HTTP/1.1 401");
  }

  @Test
  void theOriginMustBeListedWhenABrowserSendsOne() throws IOException {
    String alice = bearer(Tokens.token("alice"));
    assertThat(status("/lobby", alice + "Origin: https://chat.example.com\r\n"))
        .startsWith("HTTP/1.1 101");
    assertThat(status("/lobby", alice + "Origin: HTTP://LOCALHOST:8080\r\n"))
        .startsWith("HTTP/1.1 101");
    assertThat(status("/lobby", alice + "Origin: https://evil.example\r\n"))
        .startsWith("HTTP/1.1 403");
    assertThat(status("/lobby", alice + "Origin: https://chat.example.com.evil.example\r\n"))
        .startsWith("HTTP/1.1 403");
    assertThat(status("/lobby", alice + "Origin: null\r\n")).startsWith("HTTP/1.1 403");
    // no Origin: not a browser; the token decides
    assertThat(status("/lobby", alice)).startsWith("HTTP/1.1 101");
  }

  @Test
  void theClaimsAreCheckedOnEveryPublishToo() throws Exception {
    // the hub's authorizer sees the identity found at the handshake on each message
    String token = Tokens.token("bob", b -> b.claim("rooms", List.of("pub")));
    try (WsClient c = WsClient.connect(server.ws("/pub?token=" + token))) {
      c.next("system");
      c.send("{\"content\":1}");
      JsonNode m = c.next("message");
      assertThat(m.path("content").asInt()).isEqualTo(1);
    }
    assertThat(
            server
                .server
                .hub()
                .allows(
                    server
                        .server
                        .hub()
                        .authenticate(
                            dev.roomcast.HandshakeRequest.of(
                                "pub",
                                Map.of("Authorization", List.of("Bearer " + token)),
                                Map.of(),
                                null)),
                    "elsewhere",
                    dev.roomcast.RoomAuthorizer.Action.PUBLISH))
        .isFalse();
  }
}
