package dev.roomcast;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.roomcast.testing.RecordingTransport;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Who sent what, and keeping a client id across reconnects without leave/join noise. */
class HubIdentityAndResumeTokenTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final byte[] SECRET =
      "a shared secret of at least thirty-two bytes".getBytes(StandardCharsets.UTF_8);
  private static final Identity ALICE = new Identity("alice", Map.of("name", "Alice A."));

  private static Hub hub(Duration grace) {
    return Hub.builder()
        .resumeSecret(SECRET)
        .resumeGrace(grace)
        .limits(Limits.defaults().withPublishRate(1e9, 1_000_000))
        .build();
  }

  private static List<String> systemTexts(RecordingTransport t) {
    return t.ofType("system").stream().map(n -> n.get("message").asText()).toList();
  }

  @Test
  void anAuthenticatedSendersUserAndNameAppearInItsFramesAnonymousOnesHaveNone() throws Exception {
    try (Hub hub = hub(Duration.ZERO)) {
      RecordingTransport watcher = new RecordingTransport();
      Connection anon = hub.join(JoinRequest.to("id"), watcher);
      RecordingTransport at = new RecordingTransport();
      Connection alice = hub.join(JoinRequest.to("id").as(ALICE), at);
      JsonNode welcome = at.json().get(0);
      assertThat(welcome.get("user").asText()).isEqualTo("alice");
      assertThat(welcome.get("name").asText()).isEqualTo("Alice A.");
      JsonNode join = watcher.ofType("system").get(1);
      assertThat(join.get("message").asText()).isEqualTo("Alice A. joined the room");
      assertThat(join.get("user").asText()).isEqualTo("alice");
      assertThat(join.get("client_id").asText()).isEqualTo(alice.clientId());
      alice.receiveText("{\"content\":\"hi\"}");
      anon.receiveText("{\"content\":\"yo\"}");
      watcher.awaitType("message", 2, WAIT);
      JsonNode fromAlice = watcher.ofType("message").get(0);
      assertThat(fromAlice.get("user").asText()).isEqualTo("alice");
      assertThat(fromAlice.get("name").asText()).isEqualTo("Alice A.");
      JsonNode fromAnon = watcher.ofType("message").get(1);
      assertThat(fromAnon.has("user")).isFalse();
      assertThat(fromAnon.has("name")).isFalse();
      assertThat(watcher.json().get(0).has("user")).isFalse();
    }
  }

  @Test
  void aResumeTokenKeepsTheClientIdOnAnotherHubWithTheSameSecret() {
    try (Hub one = hub(Duration.ZERO);
        Hub two = hub(Duration.ZERO)) {
      RecordingTransport first = new RecordingTransport();
      Connection c = one.join(JoinRequest.to("keep").as(ALICE), first);
      String token = first.json().get(0).get("resume_token").asText();
      RecordingTransport again = new RecordingTransport();
      Connection d = two.join(JoinRequest.to("keep").as(ALICE).withResumeToken(token), again);
      assertThat(d.clientId()).isEqualTo(c.clientId());
      JsonNode welcome = again.json().get(0);
      assertThat(welcome.get("client_id").asText()).isEqualTo(c.clientId());
      assertThat(welcome.has("resume_token_refused")).isFalse();
      assertThat(welcome.get("resume_token").asText()).isNotEmpty();
    }
  }

  @Test
  void aForgedOtherRoomOtherUserOrForeignTokenGetsANewClientIdAndSaysWhy() {
    try (Hub hub = hub(Duration.ZERO);
        Hub foreign = Hub.builder().build()) {
      RecordingTransport first = new RecordingTransport();
      Connection c = hub.join(JoinRequest.to("t").as(ALICE), first);
      String token = first.json().get(0).get("resume_token").asText();
      RecordingTransport f = new RecordingTransport();
      foreign.join(JoinRequest.to("t").as(ALICE), f);
      String foreignToken = f.json().get(0).get("resume_token").asText();
      String forged =
          token.substring(0, token.length() - 3) + (token.endsWith("A") ? "BBB" : "AAA");
      Map<JoinRequest, String> cases =
          Map.of(
              JoinRequest.to("t").as(ALICE).withResumeToken(forged), "invalid",
              JoinRequest.to("t").as(ALICE).withResumeToken("v1.garbage"), "invalid",
              JoinRequest.to("t").as(ALICE).withResumeToken(foreignToken), "invalid",
              JoinRequest.to("other").as(ALICE).withResumeToken(token), "issued for another room",
              JoinRequest.to("t").withResumeToken(token), "issued to another user");
      cases.forEach(
          (request, why) -> {
            RecordingTransport t = new RecordingTransport();
            Connection d = hub.join(request, t);
            assertThat(d.clientId()).isNotEqualTo(c.clientId());
            assertThat(t.json().get(0).get("resume_token_refused").asText()).isEqualTo(why);
          });
    }
  }

  @Test
  void aResumeWithinTheGraceCausesNoLeaveOrJoinNotice() throws Exception {
    try (Hub hub = hub(Duration.ofSeconds(30))) {
      RecordingTransport watcher = new RecordingTransport();
      hub.join(JoinRequest.to("g"), watcher);
      RecordingTransport first = new RecordingTransport();
      Connection c = hub.join(JoinRequest.to("g").as(ALICE), first);
      String token = first.json().get(0).get("resume_token").asText();
      c.transportClosed();
      RecordingTransport again = new RecordingTransport();
      Connection back = hub.join(JoinRequest.to("g").as(ALICE).withResumeToken(token), again);
      assertThat(back.clientId()).isEqualTo(c.clientId());
      back.receiveText("{\"content\":\"back\"}");
      watcher.awaitType("message", 1, WAIT);
      assertThat(systemTexts(watcher)).hasSize(2); // its own welcome and Alice's first join
      assertThat(systemTexts(watcher).get(1)).isEqualTo("Alice A. joined the room");
    }
  }

  @Test
  void aMemberThatDoesNotComeBackIsAnnouncedAsLeftOnceTheGraceEnds() throws Exception {
    try (Hub hub = hub(Duration.ofMillis(300))) {
      RecordingTransport watcher = new RecordingTransport();
      hub.join(JoinRequest.to("gone"), watcher);
      Connection c = hub.join(JoinRequest.to("gone").as(ALICE), new RecordingTransport());
      c.transportClosed();
      assertThat(systemTexts(watcher)).hasSize(2);
      watcher.await(f -> f.size() == 3, WAIT);
      assertThat(systemTexts(watcher).get(2)).isEqualTo("Alice A. left the room");
    }
  }

  @Test
  void aSecondConnectionWithTheSameTokenReplacesTheFirstWith4500() throws Exception {
    try (Hub hub = hub(Duration.ofSeconds(30))) {
      RecordingTransport watcher = new RecordingTransport();
      hub.join(JoinRequest.to("r"), watcher);
      RecordingTransport first = new RecordingTransport();
      Connection c = hub.join(JoinRequest.to("r").as(ALICE), first);
      String token = first.json().get(0).get("resume_token").asText();
      RecordingTransport second = new RecordingTransport();
      Connection d = hub.join(JoinRequest.to("r").as(ALICE).withResumeToken(token), second);
      assertThat(first.awaitClose(WAIT)).isEqualTo(CloseCodes.REPLACED);
      assertThat(CloseCodes.isTerminal(CloseCodes.REPLACED)).isTrue();
      assertThat(d.isOpen()).isTrue();
      assertThat(hub.roomSize("r")).isEqualTo(2);
      d.receiveText("{\"content\":1}");
      watcher.awaitType("message", 1, WAIT);
      assertThat(systemTexts(watcher)).hasSize(2);
    }
  }
}
