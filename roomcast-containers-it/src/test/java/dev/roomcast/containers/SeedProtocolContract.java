package dev.roomcast.containers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.roomcast.jakarta.testkit.WsClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * The seed protocol's behaviour, checked over real sockets against roomcast's endpoint deployed in
 * a servlet container or a full Jakarta EE server. Each server's test class starts one server and
 * extends this.
 */
abstract class SeedProtocolContract {
  /** The running server with roomcast deployed. */
  protected abstract RoomcastServer server();

  /** A class of another container, which must not be on this test run's class path. */
  protected abstract String otherContainerClass();

  @Test
  void onlyThisContainerIsOnTheClassPath() {
    // Each container runs in its own surefire execution; the other's classes (and its copy of the
    // servlet and WebSocket APIs) would make this a test of a mixture.
    assertThatThrownBy(() -> Class.forName(otherContainerClass()))
        .isInstanceOf(ClassNotFoundException.class);
  }

  @Test
  void theWelcomeCarriesClientIdRoomAndPosition() {
    try (WsClient c = WsClient.connect(server().ws("/lobby"))) {
      JsonNode w = c.next();
      assertThat(w.path("type").asText()).isEqualTo("system");
      String id = w.path("client_id").asText();
      assertThat(id).startsWith("user-");
      assertThat(w.path("message").asText())
          .isEqualTo("Welcome to room lobby. You are " + id + ".");
      assertThat(w.path("room").asText()).isEqualTo("lobby");
      assertThat(w.path("timestamp").asText()).endsWith("Z");
      assertThat(w.path("epoch").asText()).isNotEmpty();
      assertThat(w.has("offset")).isTrue();
    }
  }

  @Test
  void theBarePathJoinsTheDefaultRoom() {
    try (WsClient c = WsClient.connect(server().ws("/"))) {
      assertThat(c.next("system").path("room").asText()).isEqualTo("default");
    }
  }

  @Test
  void membersAlreadyInTheRoomSeeAJoinNotice() {
    try (WsClient a = WsClient.connect(server().ws("/notices"))) {
      a.next("system");
      try (WsClient b = WsClient.connect(server().ws("/notices"))) {
        String idB = b.next("system").path("client_id").asText();
        JsonNode notice = a.next("system");
        assertThat(notice.path("message").asText()).isEqualTo(idB + " joined the room");
        assertThat(notice.path("client_id").asText()).isEqualTo(idB);
        assertThat(notice.path("room").asText()).isEqualTo("notices");
        assertThat(notice.has("offset")).as("notices are live-only").isFalse();
      }
    }
  }

  /**
   * Three members each fire 100 messages at once. Every member, senders included, receives all 300
   * in one order with consecutive offsets, and each sender's own in the order it sent them. On
   * Tomcat, two overlapping {@code sendText} calls on one session throw {@code TEXT_FULL_WRITING};
   * the outbox's one-write-in-flight rule is what keeps this burst intact.
   */
  @Test
  void aBurstReachesEveryMemberIncludingTheSendersInOneOrder() throws Exception {
    int members = 3;
    int perSender = 100;
    List<WsClient> clients = new ArrayList<>();
    try {
      List<String> ids = new ArrayList<>();
      long start = -1;
      for (int i = 0; i < members; i++) {
        WsClient c = WsClient.connect(server().ws("/burst"));
        JsonNode w = c.next("system");
        ids.add(w.path("client_id").asText());
        start = w.path("offset").asLong(); // the last member's welcome: nothing published yet
        clients.add(c);
      }
      List<CompletableFuture<Void>> senders = new ArrayList<>();
      for (int k = 0; k < members; k++) {
        WsClient sender = clients.get(k);
        int from = k;
        senders.add(
            CompletableFuture.runAsync(
                () -> {
                  for (int n = 0; n < perSender; n++) {
                    sender.send("{\"content\":{\"from\":" + from + ",\"n\":" + n + "}}");
                  }
                }));
      }
      CompletableFuture.allOf(senders.toArray(CompletableFuture[]::new)).join();

      List<String> first = null;
      for (WsClient c : clients) {
        List<String> seen = new ArrayList<>();
        int[] nextFrom = new int[members];
        for (int i = 1; i <= members * perSender; i++) {
          JsonNode m = c.next("message");
          assertThat(m.path("offset").asLong()).isEqualTo(start + i);
          int from = m.path("content").path("from").asInt();
          assertThat(m.path("client_id").asText()).isEqualTo(ids.get(from));
          assertThat(m.path("content").path("n").asInt())
              .as("sender %d's messages in the order sent", from)
              .isEqualTo(nextFrom[from]++);
          seen.add(m.path("client_id").asText() + "#" + m.path("offset").asLong());
        }
        if (first == null) {
          first = seen;
        } else {
          assertThat(seen).as("the same order for every member").isEqualTo(first);
        }
        assertThat(c.isClosed()).isFalse();
      }
    } finally {
      clients.forEach(WsClient::close);
    }
  }

  @Test
  void invalidJsonGetsAnErrorFrameAndTheConnectionStays() {
    try (WsClient c = WsClient.connect(server().ws("/errors"))) {
      c.next("system");
      c.send("this is not JSON");
      JsonNode error = c.next();
      assertThat(error.path("type").asText()).isEqualTo("error");
      assertThat(error.path("message").asText()).isEqualTo("Invalid JSON format");
      c.send("{\"content\":\"after the error\"}");
      assertThat(c.next("message").path("content").asText()).isEqualTo("after the error");
      assertThat(c.isClosed()).isFalse();
    }
  }

  @Test
  void roomsAreIsolated() {
    try (WsClient a = WsClient.connect(server().ws("/iso-a"));
        WsClient b = WsClient.connect(server().ws("/iso-b"))) {
      a.next("system");
      b.next("system");
      a.send("{\"content\":\"for a only\"}");
      assertThat(a.next("message").path("content").asText()).isEqualTo("for a only");
      // a's message was delivered before b publishes: if it leaked, b would see it first
      b.send("{\"content\":\"for b only\"}");
      JsonNode m = b.next("message");
      assertThat(m.path("content").asText()).isEqualTo("for b only");
      assertThat(m.path("room").asText()).isEqualTo("iso-b");
      a.assertNoFrameWithin(Duration.ofMillis(200));
    }
  }

  @Test
  void resumeWithSinceAndEpochDeliversExactlyWhatWasMissed() {
    String epoch;
    long firstOffset;
    try (WsClient a = WsClient.connect(server().ws("/resume"))) {
      a.next("system");
      for (int i = 1; i <= 3; i++) {
        a.send("{\"content\":" + i + "}");
      }
      JsonNode first = a.next("message");
      epoch = first.path("epoch").asText();
      firstOffset = first.path("offset").asLong();
      a.next("message");
      a.next("message");
    }
    try (WsClient b =
        WsClient.connect(server().ws("/resume?since=" + firstOffset + "&epoch=" + epoch))) {
      JsonNode welcome = b.next("system");
      assertThat(welcome.path("recovered").asBoolean()).isTrue();
      JsonNode second = b.next("message");
      assertThat(second.path("content").asInt()).isEqualTo(2);
      assertThat(second.path("offset").asLong()).isEqualTo(firstOffset + 1);
      assertThat(b.next("message").path("content").asInt()).isEqualTo(3);
      b.send("{\"content\":4}");
      assertThat(b.next("message").path("offset").asLong()).isEqualTo(firstOffset + 3);
    }
    try (WsClient c = WsClient.connect(server().ws("/resume?since=1&epoch=not-the-epoch"))) {
      JsonNode welcome = c.next("system");
      assertThat(welcome.path("recovered").asBoolean()).isFalse();
      assertThat(welcome.path("epoch").asText()).isEqualTo(epoch);
    }
  }

  @Test
  void malformedResumeParametersCloseWith1008() {
    try (WsClient c = WsClient.connect(server().ws("/resume-bad?since=1"))) {
      assertThat(c.awaitClose().code()).isEqualTo(1008);
    }
  }
}
