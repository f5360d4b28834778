package dev.roomcast.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roomcast.spi.BackplaneNode;
import dev.roomcast.spi.MessageDraft;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/**
 * roomcast-redis runs on Jedis 7.x (what Spring Boot 4.0 manages) and 8.x (what it is built
 * against). The build runs this module's whole suite twice, once per major version (see the {@code
 * jedis-7} surefire execution in the POM); this class checks that each run really has the Jedis it
 * claims, and the one behaviour that differs between the two versions: the protocol a connection
 * speaks.
 */
class JedisCompatibilityTest {

  @Test
  void theJedisOnTheClassPathIsTheOneThisRunIsFor() throws Exception {
    // the jar Jedis was loaded from, e.g. .../jedis-7.0.0.jar
    String jar =
        Path.of(Jedis.class.getProtectionDomain().getCodeSource().getLocation().toURI())
            .getFileName()
            .toString();
    assertThat(jar).startsWith("jedis-").endsWith(".jar");
    String version = jar.substring("jedis-".length(), jar.length() - ".jar".length());
    String expected = System.getProperty("roomcast.test.jedis.major");
    if (expected != null && !expected.isEmpty()) {
      assertThat(version).startsWith(expected + ".");
    } else {
      assertThat(version).matches("[78]\\..*"); // run outside Maven, e.g. from an IDE
    }
  }

  @Test
  void everyConnectionSpeaksResp2() throws Exception {
    try (RedisServer redis = RedisServer.start()) {
      BackplaneNode node =
          RedisBackplane.fromUrl(redis.uri()).attach("compat", new RecordingListener());
      try {
        assertThat(node.isHealthy()).isTrue();
        node.subscribe("r");
        node.publish(new MessageDraft("r", "c", "1", "2025-01-01T00:00:00Z", "compat"))
            .toCompletableFuture()
            .get(10, TimeUnit.SECONDS);
        List<String> ours = new ArrayList<>();
        try (Jedis j = redis.client()) {
          for (String line : j.clientList().split("\n")) {
            if (line.contains(" name=roomcast-compat-")) {
              ours.add(line);
            }
          }
        }
        // Jedis 8 would negotiate RESP3 unless told not to; roomcast parses RESP2 replies
        assertThat(ours)
            .hasSize(2)
            .allSatisfy(line -> assertThat(List.of(line.trim().split(" "))).contains("resp=2"));
      } finally {
        node.close();
      }
    }
  }
}
