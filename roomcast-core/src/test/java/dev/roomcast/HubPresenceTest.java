package dev.roomcast;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.roomcast.testing.RecordingTransport;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Presence across hubs on one backplane, over the API and over frames. */
class HubPresenceTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final Identity BOB = new Identity("bob", Map.of("name", "Bob"));

  private static Presence presence(Hub hub, String room) throws Exception {
    return hub.presence(room).toCompletableFuture().get(5, TimeUnit.SECONDS);
  }

  private static List<String> ids(Presence p) {
    return p.members().stream().map(PresenceMember::clientId).toList();
  }

  @Test
  void twoHubsOnOneBackplaneReportTheSameMembers() throws Exception {
    InMemoryBackplane bp = InMemoryBackplane.create();
    try (Hub one = Hub.builder().backplane(bp).resumeGrace(Duration.ZERO).build();
        Hub two = Hub.builder().backplane(bp).resumeGrace(Duration.ZERO).build()) {
      Connection a = one.join(JoinRequest.to("p"), new RecordingTransport());
      Connection b = two.join(JoinRequest.to("p").as(BOB), new RecordingTransport());
      Presence p1 = presence(one, "p");
      Presence p2 = presence(two, "p");
      assertThat(p1.count()).isEqualTo(2);
      // sorted by join time, then client id (join times have millisecond precision)
      assertThat(ids(p1)).containsExactlyInAnyOrder(a.clientId(), b.clientId());
      assertThat(p2).isEqualTo(p1);
      PresenceMember bobThere =
          p1.members().stream().filter(m -> m.user() != null).findFirst().get();
      assertThat(bobThere.clientId()).isEqualTo(b.clientId());
      assertThat(bobThere.user()).isEqualTo("bob");
      assertThat(bobThere.name()).isEqualTo("Bob");
      assertThat(one.presenceCount("p").toCompletableFuture().get().members()).isEmpty();
      b.close(CloseCodes.NORMAL, "bye");
      assertThat(ids(presence(one, "p"))).containsExactly(a.clientId());
      two.close();
      assertThat(presence(one, "p").count()).isEqualTo(1);
    }
  }

  @Test
  void aDroppedMemberStaysListedThroughItsGraceAndGoesAfter() throws Exception {
    try (Hub hub = Hub.builder().resumeGrace(Duration.ofMillis(400)).build()) {
      Connection a = hub.join(JoinRequest.to("g"), new RecordingTransport());
      a.transportClosed();
      assertThat(ids(presence(hub, "g"))).containsExactly(a.clientId());
      long deadline = System.nanoTime() + WAIT.toNanos();
      while (presence(hub, "g").count() > 0 && System.nanoTime() < deadline) {
        Thread.onSpinWait();
      }
      assertThat(presence(hub, "g").count()).isZero();
    }
  }

  @Test
  void aClientThatAsksForDiffsGetsTheMembersThenJoinsAndLeavesAsFrames() throws Exception {
    try (Hub hub = Hub.builder().resumeGrace(Duration.ZERO).build()) {
      Connection first = hub.join(JoinRequest.to("d"), new RecordingTransport());
      RecordingTransport t = new RecordingTransport();
      Connection me = hub.join(JoinRequest.to("d").withPresenceDiffs(), t);
      t.awaitType("presence", 1, WAIT);
      JsonNode p = t.ofType("presence").get(0);
      assertThat(p.get("count").asInt()).isEqualTo(2);
      List<String> listed = new java.util.ArrayList<>();
      p.get("members").forEach(m -> listed.add(m.get("client_id").asText()));
      assertThat(listed).containsExactlyInAnyOrder(first.clientId(), me.clientId());
      assertThat(p.get("members").get(0).get("joined_at").asText()).isNotEmpty();
      Connection bob = hub.join(JoinRequest.to("d").as(BOB), new RecordingTransport());
      bob.close(CloseCodes.NORMAL, "bye");
      t.awaitType("presence_diff", 2, WAIT);
      JsonNode join = t.ofType("presence_diff").get(0);
      assertThat(join.get("joins").get(0).get("user").asText()).isEqualTo("bob");
      assertThat(join.get("leaves")).isEmpty();
      JsonNode leave = t.ofType("presence_diff").get(1);
      assertThat(leave.get("leaves").get(0).get("client_id").asText()).isEqualTo(bob.clientId());
      assertThat(t.ofType("system")).hasSize(1); // the welcome; no text notices
    }
  }

  @Test
  void aPresenceRequestFrameIsAnsweredWithAPresenceFrame() throws Exception {
    try (Hub hub = Hub.builder().build()) {
      RecordingTransport t = new RecordingTransport();
      Connection c = hub.join(JoinRequest.to("ask"), t);
      c.receiveText("{\"type\":\"presence\"}");
      t.awaitType("presence", 1, WAIT);
      assertThat(t.ofType("presence").get(0).get("count").asInt()).isEqualTo(1);
      assertThat(t.ofType("message")).isEmpty();
      c.receiveText("{\"type\":\"presence\",\"content\":\"hi\"}");
      t.awaitType("message", 1, WAIT); // with content it is a message, as for seed clients
    }
  }

  @Test
  void presenceOfAnInvalidRoomFailsItsStage() {
    try (Hub hub = Hub.builder().build()) {
      assertThat(hub.presence("../x").toCompletableFuture())
          .failsWithin(1, TimeUnit.SECONDS)
          .withThrowableOfType(java.util.concurrent.ExecutionException.class)
          .withCauseInstanceOf(IllegalArgumentException.class);
    }
  }
}
