package dev.roomcast.redis;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.roomcast.Hub;
import dev.roomcast.Identity;
import dev.roomcast.JoinRequest;
import dev.roomcast.Presence;
import dev.roomcast.PresenceMember;
import dev.roomcast.spi.BackplaneNode;
import dev.roomcast.testing.RecordingTransport;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Presence and the sender's identity through real Redis: one endpoint and three shards; and a node
 * that disappears without a goodbye leaves presence within the 15 s lease.
 */
class RedisPresenceTest {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final Identity ALICE = new Identity("alice", Map.of("name", "Alice A."));

  @RegisterExtension static final RedisExtension redis = RedisExtension.ephemeral(3);

  private static Presence presence(Hub hub, String room) {
    try {
      return hub.presence(room).toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("presence of " + room, e);
    }
  }

  /** The count, or -1 while the backplane does not answer (a loaded machine's probe hiccup). */
  private static int countOrMinusOne(Hub hub, String room) {
    try {
      return hub.presence(room).toCompletableFuture().get(10, TimeUnit.SECONDS).count();
    } catch (Exception e) {
      return -1;
    }
  }

  private static PresenceMember member(Presence p, String clientId) {
    return p.members().stream()
        .filter(m -> m.clientId().equals(clientId))
        .findFirst()
        .orElseThrow();
  }

  private static List<String> ids(Presence p) {
    return p.members().stream().map(PresenceMember::clientId).toList();
  }

  private void presenceAndIdentityAcrossTwoHubs(RedisBackplane bp, String room) throws Exception {
    Hub a = redis.hub("pa", bp);
    Hub b = redis.hub("pb", bp);
    RecordingTransport aliceT = new RecordingTransport();
    var alice = a.join(JoinRequest.to(room).as(ALICE), aliceT);
    var anon = a.join(JoinRequest.to(room), new RecordingTransport());
    RecordingTransport bobT = new RecordingTransport();
    var bob = b.join(JoinRequest.to(room).as(new Identity("bob", Map.of())), bobT);
    Await.until(WAIT, () -> countOrMinusOne(b, room) == 3, "three members listed on b");
    Presence onA = presence(a, room);
    Presence onB = presence(b, room);
    assertThat(onA).isEqualTo(onB);
    assertThat(ids(onA))
        .containsExactlyInAnyOrder(alice.clientId(), anon.clientId(), bob.clientId());
    PresenceMember a1 = member(onA, alice.clientId());
    assertThat(a1.user()).isEqualTo("alice");
    assertThat(a1.name()).isEqualTo("Alice A.");
    assertThat(member(onA, anon.clientId()).user()).isNull();
    assertThat(member(onA, bob.clientId()).user()).isEqualTo("bob");

    alice.receiveText("{\"content\":\"hi from a\"}");
    Await.until(WAIT, () -> bobT.messages().size() == 1, () -> "bob: " + bobT.frames());
    JsonNode m = bobT.messages().get(0);
    assertThat(m.path("user").asText()).isEqualTo("alice");
    assertThat(m.path("name").asText()).isEqualTo("Alice A.");
    // and from history: a late joiner asking for it sees who wrote it
    RecordingTransport late = new RecordingTransport();
    b.join(JoinRequest.to(room).withHistory(5), late);
    Await.until(WAIT, () -> late.messages().size() == 1, () -> "late: " + late.frames());
    assertThat(late.messages().get(0).path("user").asText()).isEqualTo("alice");

    bob.close(1000, "bye");
    Await.until(WAIT, () -> countOrMinusOne(a, room) == 3, "bob gone, the late joiner listed");
    assertThat(ids(presence(a, room))).doesNotContain(bob.clientId());
  }

  @Test
  void oneEndpoint() throws Exception {
    presenceAndIdentityAcrossTwoHubs(redis.backplane(redis.servers().get(0)).build(), "one");
  }

  @Test
  void threeShards() throws Exception {
    RedisBackplane bp =
        RedisBackplane.builder()
            .shards(redis.uris())
            .backoff(RedisExtension.quickBackoff())
            .build();
    presenceAndIdentityAcrossTwoHubs(bp, "sharded");
  }

  @Test
  void aNodeGoneWithoutAGoodbyeLeavesPresenceWithinTheLease() throws Exception {
    RedisBackplane bp = redis.backplane(redis.servers().get(0)).build();
    Hub a = redis.hub("la", bp);
    a.join(JoinRequest.to("lease"), new RecordingTransport());
    BackplaneNode ghost = bp.attach("ghost", new RecordingListener());
    ghost.presenceAdd("lease", new PresenceMember("user-ghost-1", null, null, Instant.now()));
    Await.until(WAIT, () -> countOrMinusOne(a, "lease") == 2, "the ghost listed");
    ghost.close(); // stops renewing; nothing removes its entry
    long closed = System.nanoTime();
    Await.until(WAIT, () -> countOrMinusOne(a, "lease") == 1, "the ghost's lease ran out");
    long ms = Duration.ofNanos(System.nanoTime() - closed).toMillis();
    assertThat(ms)
        .as("gone within the lease")
        .isLessThanOrEqualTo(RedisPresence.LEASE_MILLIS + 1000);
    assertThat(ids(presence(a, "lease"))).doesNotContain("user-ghost-1");
  }
}
