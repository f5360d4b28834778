package dev.roomcast.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.roomcast.Hub;
import dev.roomcast.Published;
import dev.roomcast.redis.RedisBackplane;
import dev.roomcast.redis.RedisServer;
import dev.roomcast.spring.boot.autoconfigure.apps.plain.PlainApp;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import redis.clients.jedis.Jedis;

/**
 * The Redis backplane built from Boot's own {@code spring.data.redis.*} settings (a password with
 * characters that need encoding, a database), against a real {@code redis-server}; and readiness
 * following it: down while Redis is killed, up again once it is back.
 */
class RedisReadinessTest {
  static final String PASSWORD = "s3cr:t@x+y%2F";
  static final ObjectMapper JSON = new ObjectMapper();
  static final HttpClient HTTP = HttpClient.newHttpClient();
  static RedisServer redis;
  static ConfigurableApplicationContext app;

  @BeforeAll
  static void start() {
    redis = RedisServer.builder().password(PASSWORD).start();
    app =
        TestServers.start(
            PlainApp.class,
            "roomcast.backplane=redis",
            "spring.data.redis.host=127.0.0.1",
            "spring.data.redis.port=" + redis.port(),
            "spring.data.redis.password=" + PASSWORD,
            "spring.data.redis.database=2",
            "spring.data.redis.timeout=1s",
            "management.endpoint.health.probes.enabled=true",
            "management.endpoint.health.show-details=always");
  }

  @AfterAll
  static void stop() {
    try {
      app.close();
    } finally {
      redis.close();
    }
  }

  @Test
  void theBackplaneComesFromSpringDataRedisAndReadinessFollowsRedis() throws Exception {
    Hub hub = app.getBean(Hub.class);
    assertThat(hub.backplaneName()).isEqualTo("redis");
    RedisBackplane backplane = app.getBean(RedisBackplane.class);
    Published p =
        app.getBean(RoomcastTemplate.class)
            .publish("ready", "hello")
            .toCompletableFuture()
            .get(10, TimeUnit.SECONDS);
    assertThat(p.offset()).isEqualTo(1);
    try (Jedis j = redis.client()) {
      j.select(2); // spring.data.redis.database
      assertThat(j.exists(backplane.metaKeyOf("ready"))).isTrue();
    }
    assertThat(readiness()).isEqualTo(200);

    redis.kill();
    await(() -> readiness() == 503, "readiness 503 with Redis down");
    JsonNode roomcast = health().path("components").path("roomcast");
    assertThat(roomcast.path("status").asText()).isEqualTo("DOWN");
    assertThat(roomcast.path("details").path("reason").asText()).contains("redis unreachable");

    redis.restart();
    await(() -> readiness() == 200, "readiness 200 with Redis back");
    assertThat(health().path("components").path("roomcast").path("status").asText())
        .isEqualTo("UP");
  }

  private static int readiness() {
    try {
      return HTTP.send(
              HttpRequest.newBuilder(TestServers.http(app, "/actuator/health/readiness")).build(),
              HttpResponse.BodyHandlers.discarding())
          .statusCode();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static JsonNode health() throws Exception {
    return JSON.readTree(
        HTTP.send(
                HttpRequest.newBuilder(TestServers.http(app, "/actuator/health")).build(),
                HttpResponse.BodyHandlers.ofString())
            .body());
  }

  private static void await(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within 20 s: " + what);
      }
      Thread.sleep(50);
    }
  }
}
