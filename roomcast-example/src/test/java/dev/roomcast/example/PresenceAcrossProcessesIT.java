package dev.roomcast.example;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.roomcast.jakarta.testkit.WsClient;
import dev.roomcast.redis.RedisServer;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two example-server processes on one test-started Redis with the same resume secret: who sent
 * what, client ids and presence hold across instances, and the members of an instance killed with
 * SIGKILL leave every other instance's presence within the lease (15 s).
 */
class PresenceAcrossProcessesIT {
  static final ObjectMapper JSON = new ObjectMapper();
  static RedisServer redis;
  static JarProcess a;
  static JarProcess b;

  @BeforeAll
  static void start() throws Exception {
    redis = RedisServer.start();
    Map<String, String> env =
        Map.of(
            "REDIS_URL",
            redis.uri(),
            "ROOMCAST_RESUME_SECRET",
            "a-resume-secret-shared-by-every-instance",
            "ROOMCAST_RESUME_GRACE_SECONDS",
            "2",
            "ROOMCAST_JWT_SECRET",
            Tokens.SECRET,
            "ROOMCAST_JWT_ISSUER",
            Tokens.ISSUER,
            "ROOMCAST_JWT_AUDIENCE",
            Tokens.AUDIENCE);
    a = JarProcess.start(env);
    b = JarProcess.start(env);
  }

  @AfterAll
  static void stop() throws Exception {
    for (JarProcess p : new JarProcess[] {a, b}) {
      if (p != null) {
        p.close();
      }
    }
    if (redis != null) {
      redis.close();
    }
  }

  private static String token(String sub) {
    return Tokens.token(sub, c -> c.claim("name", sub.toUpperCase()));
  }

  private static JsonNode presence(JarProcess on, String room) throws Exception {
    HttpResponse<String> r =
        on.send(
            java.net.http.HttpRequest.newBuilder(on.http("/rooms/" + room + "/presence"))
                .header("Authorization", "Bearer " + token("observer"))
                .GET()
                .build());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return JSON.readTree(r.body());
  }

  private static List<String> ids(JsonNode presence) {
    List<String> out = new ArrayList<>();
    presence.path("members").forEach(m -> out.add(m.path("client_id").asText()));
    return out;
  }

  @Test
  void whoSentWhatAndTheClientIdCarryAcrossInstancesWithoutNotices() throws Exception {
    try (WsClient watcher = WsClient.connect(b.ws("/x?token=" + token("watcher")))) {
      watcher.next("system");
      TestServer.await(
          "b subscribed", Duration.ofSeconds(10), () -> redis.numsub("roomcast:{x}") > 0);
      JsonNode welcome;
      try (WsClient alice = WsClient.connect(a.ws("/x?token=" + token("alice")))) {
        welcome = alice.next("system");
        JsonNode join = watcher.next("system");
        assertThat(join.path("message").asText()).isEqualTo("ALICE joined the room");
        assertThat(join.path("user").asText()).isEqualTo("alice");
        alice.send("{\"content\":\"hello from a\"}");
        JsonNode m = watcher.next("message");
        assertThat(m.path("user").asText()).isEqualTo("alice");
        assertThat(m.path("name").asText()).isEqualTo("ALICE");
      }
      String again =
          "/x?token="
              + token("alice")
              + "&resume_token="
              + URLEncoder.encode(welcome.path("resume_token").asText(), StandardCharsets.UTF_8);
      try (WsClient onB = WsClient.connect(b.ws(again))) {
        JsonNode w = onB.next("system");
        assertThat(w.path("client_id").asText()).isEqualTo(welcome.path("client_id").asText());
        assertThat(w.has("resume_token_refused")).isFalse();
        // neither B's join nor A's leave after its 2 s grace is announced
        watcher.assertNoFrameWithin(Duration.ofSeconds(4));
        assertThat(ids(presence(a, "x"))).contains(welcome.path("client_id").asText());
      }
    }
  }

  @Test
  void presenceMatchesOnBothAndAKilledInstancesMembersVanishWithinTheLease() throws Exception {
    JarProcess victim =
        JarProcess.start(
            Map.of(
                "REDIS_URL", redis.uri(),
                "ROOMCAST_JWT_SECRET", Tokens.SECRET,
                "ROOMCAST_JWT_ISSUER", Tokens.ISSUER,
                "ROOMCAST_JWT_AUDIENCE", Tokens.AUDIENCE));
    try (WsClient onB = WsClient.connect(b.ws("/p?token=" + token("bob")));
        WsClient onVictim = WsClient.connect(victim.ws("/p?token=" + token("vic")))) {
      String idB = onB.next("system").path("client_id").asText();
      String idV = onVictim.next("system").path("client_id").asText();
      TestServer.await(
          "both listed on a",
          Duration.ofSeconds(10),
          () -> {
            try {
              return ids(presence(a, "p")).size() == 2;
            } catch (Exception e) {
              return false;
            }
          });
      assertThat(ids(presence(a, "p"))).containsExactlyInAnyOrder(idB, idV);
      assertThat(presence(b, "p")).isEqualTo(presence(a, "p"));
      assertThat(presence(victim, "p")).isEqualTo(presence(a, "p"));

      long killed = System.nanoTime();
      victim.kill();
      TestServer.await(
          "the killed instance's member gone from a's presence",
          Duration.ofSeconds(20),
          () -> {
            try {
              return ids(presence(a, "p")).equals(List.of(idB));
            } catch (Exception e) {
              return false;
            }
          });
      long gone = Duration.ofNanos(System.nanoTime() - killed).toMillis();
      System.out.println("presence: killed instance's member gone after " + gone + " ms");
      assertThat(gone).as("within the 15 s lease").isLessThanOrEqualTo(16_000);
      assertThat(ids(presence(b, "p"))).containsExactly(idB);
    } finally {
      victim.close();
    }
  }
}
