package dev.roomcast;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.roomcast.testing.RecordingTransport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The history and resume model: exactly what was missed, then live, or recovered:false. */
class HubResumeTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private Hub hub = hubWithHistory(500);

  private static Hub hubWithHistory(int historySize) {
    return Hub.builder()
        .backplane(InMemoryBackplane.create(historySize, 1000))
        .limits(Limits.defaults().withPublishRate(1e9, 1_000_000))
        .build();
  }

  @AfterEach
  void close() {
    hub.close();
  }

  private void publish(String room, int from, int to) throws Exception {
    for (int i = from; i < to; i++) {
      hub.publish(room, Integer.toString(i)).toCompletableFuture().get();
    }
  }

  @Test
  void resumeDeliversExactlyTheMissedMessagesInOrderThenLive() throws Exception {
    RecordingTransport first = new RecordingTransport();
    RecordingTransport keeper = new RecordingTransport();
    hub.join(JoinRequest.to("r"), keeper); // keeps the room alive meanwhile
    Connection c = hub.join(JoinRequest.to("r"), first);
    publish("r", 0, 10);
    JsonNode last = first.ofType("message").get(9);
    c.transportClosed();
    publish("r", 10, 60);

    RecordingTransport again = new RecordingTransport();
    StreamPosition from =
        new StreamPosition(last.get("epoch").asText(), last.get("offset").asLong());
    hub.join(JoinRequest.to("r").resumingFrom(from), again);
    again.awaitType("message", 50, WAIT);
    JsonNode welcome = again.json().get(0);
    assertThat(welcome.get("recovered").asBoolean()).isTrue();
    assertThat(welcome.get("offset").asLong()).isEqualTo(10);
    publish("r", 60, 61);
    again.awaitType("message", 51, WAIT);
    List<JsonNode> msgs = again.ofType("message");
    assertThat(msgs).hasSize(51);
    for (int i = 0; i < 51; i++) {
      assertThat(msgs.get(i).get("content").asInt()).isEqualTo(10 + i);
      assertThat(msgs.get(i).get("offset").asLong()).isEqualTo(11 + i);
    }
    assertThat(hub.metrics().resumesRecovered()).isEqualTo(1);
  }

  @Test
  void aLoneMemberCanResumeAfterTheRoomEmptied() throws Exception {
    RecordingTransport t = new RecordingTransport();
    Connection c = hub.join(JoinRequest.to("lone"), t);
    publish("lone", 0, 3);
    String epoch = t.json().get(0).get("epoch").asText();
    c.transportClosed();
    assertThat(hub.roomCount()).isZero();
    publish("lone", 3, 8); // published while nobody is connected here
    RecordingTransport back = new RecordingTransport();
    hub.join(JoinRequest.to("lone").resumingFrom(new StreamPosition(epoch, 3)), back);
    back.awaitType("message", 5, WAIT);
    assertThat(back.ofType("message"))
        .extracting(n -> n.get("content").asInt())
        .containsExactly(3, 4, 5, 6, 7);
  }

  @Test
  void unknownEpochOrTooOldOffsetIsNotRecoveredNeverASilentGap() throws Exception {
    hub.join(JoinRequest.to("g"), new RecordingTransport());
    publish("g", 0, 600); // history keeps 500
    String epoch = hub.roomPosition("g").epoch();

    RecordingTransport wrong = new RecordingTransport();
    hub.join(JoinRequest.to("g").resumingFrom(new StreamPosition("nope", 5)), wrong);
    wrong.awaitType("system", 1, WAIT);
    JsonNode w = wrong.json().get(0);
    assertThat(w.get("recovered").asBoolean()).isFalse();
    assertThat(w.get("epoch").asText()).isEqualTo(epoch);
    assertThat(w.get("offset").asLong())
        .as("the position live traffic continues from")
        .isEqualTo(600);

    RecordingTransport old = new RecordingTransport();
    hub.join(JoinRequest.to("g").resumingFrom(new StreamPosition(epoch, 50)), old);
    old.awaitType("system", 1, WAIT);
    assertThat(old.json().get(0).get("recovered").asBoolean()).isFalse();
    assertThat(old.ofType("message")).isEmpty();

    publish("g", 600, 601);
    old.awaitType("message", 1, WAIT);
    assertThat(old.ofType("message").get(0).get("offset").asLong()).isEqualTo(601);
    assertThat(hub.metrics().resumesNotRecovered()).isEqualTo(2);
  }

  @Test
  void noDuplicateAndNoGapAtTheSeamWhileTheRoomIsBusy() throws Exception {
    String room = "seam";
    int total = 3000;
    hub.close();
    hub = hubWithHistory(total); // the history always reaches back: every resume must recover
    hub.join(JoinRequest.to(room), new RecordingTransport());
    AtomicBoolean done = new AtomicBoolean();
    Thread publisher =
        new Thread(
            () -> {
              try {
                // paced so the dropping client below goes through many sessions meanwhile
                for (int i = 0; i < total; i += 5) {
                  publish(room, i, i + 5);
                  Thread.sleep(1);
                }
              } catch (Exception e) {
                throw new RuntimeException(e);
              } finally {
                done.set(true);
              }
            });
    publisher.start();

    // A client that keeps dropping and resuming from the last message it saw.
    List<Integer> seen = new ArrayList<>();
    List<String> log = new ArrayList<>();
    StreamPosition pos = null;
    int sessions = 0;
    while (true) {
      RecordingTransport t = new RecordingTransport();
      Connection c = hub.join(JoinRequest.to(room).resumingFrom(pos), t);
      sessions++;
      t.awaitType("system", 1, WAIT);
      JsonNode welcome = t.json().get(0);
      if (pos != null) {
        assertThat(welcome.get("recovered").asBoolean()).as("session %d", sessions).isTrue();
      }
      Thread.sleep(2);
      c.transportClosed();
      log.add("session " + sessions + " from " + pos + ": " + t.json());
      for (JsonNode m : t.ofType("message")) {
        seen.add(m.get("content").asInt());
        pos = new StreamPosition(m.get("epoch").asText(), m.get("offset").asLong());
      }
      if (pos == null) {
        pos = new StreamPosition(welcome.get("epoch").asText(), welcome.get("offset").asLong());
      }
      if (done.get() && pos.offset() == total) {
        break;
      }
      assertThat(sessions).isLessThan(100_000);
    }
    publisher.join();
    assertThat(sessions).isGreaterThan(5);
    int first = seen.isEmpty() ? 0 : seen.get(0);
    for (int i = 0; i < seen.size(); i++) {
      if (seen.get(i) != first + i) {
        for (String l : log) {
          if (l.contains("\"content\":" + seen.get(i) + ",")) {
            System.err.println("DUP " + l);
          }
        }
      }
      assertThat(seen.get(i)).as("position %d", i).isEqualTo(first + i);
    }
    assertThat(seen.get(seen.size() - 1)).isEqualTo(total - 1);
  }
}
