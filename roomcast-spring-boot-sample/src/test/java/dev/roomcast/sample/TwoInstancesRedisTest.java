package dev.roomcast.sample;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.roomcast.jakarta.testkit.WsClient;
import dev.roomcast.redis.RedisServer;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import redis.clients.jedis.Jedis;

/**
 * Two instances of the sample on one real {@code redis-server}, configured only with Boot's
 * settings ({@code roomcast.backplane=redis}, {@code spring.data.redis.*}) and running on the
 * versions Spring Boot manages (Jedis 7): they share rooms.
 */
class TwoInstancesRedisTest {
  static RedisServer redis;
  static ConfigurableApplicationContext a;
  static ConfigurableApplicationContext b;

  @BeforeAll
  static void start() {
    redis = RedisServer.start();
    String[] props = {
      "roomcast.backplane=redis",
      "spring.data.redis.host=127.0.0.1",
      "spring.data.redis.port=" + redis.port()
    };
    a = Instances.start(props);
    b = Instances.start(props);
  }

  @AfterAll
  static void stop() {
    try {
      if (a != null) {
        a.close();
      }
      if (b != null) {
        b.close();
      }
    } finally {
      redis.close();
    }
  }

  @Test
  void theyRunOnTheJedisSpringBootManages() throws Exception {
    String jar =
        Path.of(Jedis.class.getProtectionDomain().getCodeSource().getLocation().toURI())
            .getFileName()
            .toString();
    assertThat(jar).startsWith("jedis-7.");
  }

  @Test
  void membersOnEitherInstanceShareTheRoom() throws Exception {
    try (WsClient onA = WsClient.connect(Instances.ws(a, "/ws/shared"))) {
      JsonNode welcomeA = onA.next();
      try (WsClient onB = WsClient.connect(Instances.ws(b, "/ws/shared"))) {
        JsonNode welcomeB = onB.next();
        assertThat(welcomeB.path("epoch").asText()).isEqualTo(welcomeA.path("epoch").asText());
        assertThat(onA.next().path("message").asText())
            .isEqualTo(welcomeB.path("client_id").asText() + " joined the room");

        onA.send("{\"content\":\"from a socket on A\"}");
        assertThat(
                Instances.post(
                        b,
                        "/api/rooms/shared/messages",
                        "{\"text\":\"bob on B\"}",
                        "bob",
                        "bob-secret")
                    .statusCode())
            .isEqualTo(200);
        JsonNode[] seenOnA = {onA.next("message"), onA.next("message")};
        JsonNode[] seenOnB = {onB.next("message"), onB.next("message")};
        for (int i = 0; i < 2; i++) {
          assertThat(seenOnB[i].path("offset").asLong())
              .isEqualTo(seenOnA[i].path("offset").asLong());
          assertThat(seenOnB[i].path("content")).isEqualTo(seenOnA[i].path("content"));
        }
        assertThat(seenOnA[1].path("offset").asLong())
            .isEqualTo(seenOnA[0].path("offset").asLong() + 1);
        assertThat(seenOnA[0].path("content").asText() + seenOnA[1].path("content").toString())
            .contains("from a socket on A")
            .contains("{\"user\":\"bob\",\"text\":\"bob on B\"}");
      }
    }
  }
}
