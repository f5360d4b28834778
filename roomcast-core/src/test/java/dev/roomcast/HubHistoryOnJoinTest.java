package dev.roomcast;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.roomcast.testing.RecordingTransport;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** History on join, and a resume whose epoch is gone replaying what the new epoch holds. */
class HubHistoryOnJoinTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private final Hub hub =
      Hub.builder()
          .limits(Limits.defaults().withPublishRate(1e9, 1_000_000))
          .maxHistoryOnJoin(20)
          .build();

  @AfterEach
  void close() {
    hub.close();
  }

  private void publish(String room, int from, int to) throws Exception {
    for (int i = from; i < to; i++) {
      hub.publish(room, Integer.toString(i)).toCompletableFuture().get();
    }
  }

  private static List<Integer> contents(RecordingTransport t) {
    return t.ofType("message").stream().map(n -> n.get("content").asInt()).toList();
  }

  @Test
  void aFreshJoinAskingForHistoryGetsTheLatestMessagesAfterTheWelcomeThenLive() throws Exception {
    hub.join(JoinRequest.to("h"), new RecordingTransport());
    publish("h", 0, 30);
    RecordingTransport t = new RecordingTransport();
    hub.join(JoinRequest.to("h").withHistory(5), t);
    t.awaitType("message", 5, WAIT);
    publish("h", 30, 32);
    t.awaitType("message", 7, WAIT);
    JsonNode welcome = t.json().get(0);
    assertThat(welcome.get("message").asText()).startsWith("Welcome to room h.");
    assertThat(welcome.get("offset").asLong()).isEqualTo(25);
    assertThat(welcome.has("recovered")).isFalse();
    assertThat(contents(t)).containsExactly(25, 26, 27, 28, 29, 30, 31);
  }

  @Test
  void askingForMoreThanTheMaximumGetsTheMaximum() throws Exception {
    hub.join(JoinRequest.to("cap"), new RecordingTransport());
    publish("cap", 0, 50);
    RecordingTransport t = new RecordingTransport();
    hub.join(JoinRequest.to("cap").withHistory(1000), t);
    t.awaitType("message", 20, WAIT);
    publish("cap", 50, 51);
    t.awaitType("message", 21, WAIT);
    assertThat(contents(t)).hasSize(21).startsWith(30, 31).endsWith(49, 50);
  }

  @Test
  void historyOnJoinIntoAQuietOrEmptyRoomIsJustTheWelcome() throws Exception {
    RecordingTransport t = new RecordingTransport();
    hub.join(JoinRequest.to("empty").withHistory(10), t);
    assertThat(t.json()).hasSize(1);
    assertThat(t.json().get(0).get("offset").asLong()).isZero();
  }

  @Test
  void aResumeFromAnEpochThatIsGoneSaysNotRecoveredThenReplaysTheCurrentEpoch() throws Exception {
    RecordingTransport keeper = new RecordingTransport();
    hub.join(JoinRequest.to("e"), keeper);
    publish("e", 0, 3);
    RecordingTransport t = new RecordingTransport();
    hub.join(JoinRequest.to("e").resumingFrom(new StreamPosition("lost-epoch", 41)), t);
    t.awaitType("message", 3, WAIT);
    JsonNode welcome = t.json().get(0);
    assertThat(welcome.get("recovered").asBoolean()).isFalse();
    assertThat(welcome.get("offset").asLong()).isZero();
    assertThat(welcome.get("epoch").asText()).isEqualTo(keeper.json().get(0).get("epoch").asText());
    publish("e", 3, 4);
    t.awaitType("message", 4, WAIT);
    assertThat(contents(t)).containsExactly(0, 1, 2, 3);
    assertThat(hub.metrics().resumesNotRecovered()).isEqualTo(1);
  }
}
