package dev.roomcast.example;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roomcast.jakarta.testkit.WsClient;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code ROOMCAST_REFUSE_AT_HANDSHAKE=false}: refused connections open and are closed at once with
 * 1008 and a reason a browser client can show (a browser sees no handshake status).
 */
class AuthRefusalCloseTest {
  static TestServer closes;

  @BeforeAll
  static void start() throws IOException {
    closes =
        TestServer.start(
            Map.of("ROOMCAST_JWT_SECRET", Tokens.SECRET, "ROOMCAST_REFUSE_AT_HANDSHAKE", "false"));
  }

  @AfterAll
  static void stop() {
    closes.close();
  }

  @Test
  void errorTextsSayWhatToFixAndNothingMore() {
    String expired =
        Tokens.token("alice", b -> b.expirationTime(Date.from(Instant.now().minusSeconds(120))));
    for (Map.Entry<String, String> e :
        Map.of(
                "/lobby",
                "missing token",
                "/lobby?token=garbage",
                "invalid token",
                "/lobby?token=" + expired,
                "token expired",
                "/lobby?token=" + Tokens.token("x", b -> b.claim("rooms", "elsewhere")),
                "not allowed to join this room",
                "/%2e%2e?token=" + Tokens.token("x"),
                "invalid room name: use 1-128 characters from A-Z a-z 0-9 _ - . : @, not starting with '.'")
            .entrySet()) {
      try (WsClient c = WsClient.connect(closes.ws(e.getKey()))) {
        WsClient.Close close = c.awaitClose();
        assertThat(close.code()).isEqualTo(1008);
        assertThat(close.reason()).isEqualTo(e.getValue());
      }
    }
    TestServer.await(
        "refused sessions closed",
        Duration.ofSeconds(5),
        () -> closes.server.deployment().openSessions() == 0);
    assertThat(closes.server.hub().metrics().connections()).isZero();
    assertThat(closes.server.hub().roomCount()).isZero();
  }
}
