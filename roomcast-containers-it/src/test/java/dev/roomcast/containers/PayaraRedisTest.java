package dev.roomcast.containers;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.roomcast.jakarta.testkit.WsClient;
import dev.roomcast.redis.RedisBackplane;
import dev.roomcast.redis.RedisServer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Two deployments of the sample WAR, in two Payara Micro processes, configured only through
 * MicroProfile Config ({@code roomcast.backplane=redis}, {@code roomcast.redis.url}) on one real
 * redis-server: they share rooms, and each one's readiness follows Redis.
 */
@Tag("payara")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PayaraRedisTest {
  static final Duration OUTAGE_WAIT = Duration.ofMinutes(1);

  static RedisServer redis;
  static PayaraMicroServer a;
  static PayaraMicroServer b;

  @BeforeAll
  static void start() throws Exception {
    redis = RedisServer.start();
    // both boot at once: the class's cost is one boot, not two
    CompletableFuture<PayaraMicroServer> first =
        CompletableFuture.supplyAsync(() -> boot("redis-a"));
    CompletableFuture<PayaraMicroServer> second =
        CompletableFuture.supplyAsync(() -> boot("redis-b"));
    try {
      a = first.join();
    } finally {
      b = second.join();
    }
  }

  private static PayaraMicroServer boot(String name) {
    try {
      return PayaraMicroServer.builder(name)
          .property("roomcast.backplane", "redis")
          .property("roomcast.redis.url", redis.uri())
          .start();
    } catch (Exception e) {
      throw new IllegalStateException(name + " did not start", e);
    }
  }

  @AfterAll
  static void stop() {
    for (AutoCloseable c : new AutoCloseable[] {a, b, redis}) {
      try {
        if (c != null) {
          c.close();
        }
      } catch (Exception e) {
        // the others still get closed
      }
    }
  }

  @Test
  @Order(1)
  void bothReportTheRedisBackplaneReady() {
    for (PayaraMicroServer s : new PayaraMicroServer[] {a, b}) {
      PayaraMicroServer.Answer r = s.readiness();
      assertThat(r.status()).as(s + ": " + r.body()).isEqualTo(200);
      JsonNode check = PayaraSeedProtocolTest.roomcastCheck(r.json());
      assertThat(check.path("data").path("backplane").asText()).startsWith("redis");
    }
  }

  @Test
  @Order(2)
  void membersOnTwoDeploymentsShareARoom() {
    String channel = RedisBackplane.fromUrl(redis.uri()).channelOf("shared");
    try (WsClient onA = WsClient.connect(a.ws("/shared"));
        WsClient onB = WsClient.connect(b.ws("/shared"))) {
      onA.next("system");
      onB.next("system");
      // each instance subscribes to the room's channel when its first member joins
      PayaraMicroServer.awaitCondition(
          "both instances subscribed to " + channel,
          Duration.ofSeconds(30),
          () -> redis.numsub(channel) == 2);

      onA.send("{\"content\":\"from a\"}");
      JsonNode atB = onB.next("message");
      assertThat(atB.path("content").asText()).isEqualTo("from a");
      JsonNode atA = onA.next("message");
      assertThat(atA.path("offset").asLong()).isEqualTo(atB.path("offset").asLong());

      onB.send("{\"content\":\"from b\"}");
      assertThat(onA.next("message").path("content").asText()).isEqualTo("from b");
      onB.next("message");

      // the JAX-RS resource on one instance reaches the other's members
      PayaraMicroServer.Answer published =
          a.postJson("/api/rooms/shared/messages", "{\"content\":\"over http on a\"}", null, null);
      assertThat(published.status()).as(published.body()).isEqualTo(200);
      JsonNode viaHttp = onB.next("message");
      assertThat(viaHttp.path("content").asText()).isEqualTo("over http on a");
      assertThat(viaHttp.path("offset").asLong())
          .isEqualTo(published.json().path("offset").asLong());
    }
  }

  @Test
  @Order(3)
  void readinessIsDownWhileRedisIsDownAndUpWhenItIsBack() {
    redis.kill();
    for (PayaraMicroServer s : new PayaraMicroServer[] {a, b}) {
      PayaraMicroServer.awaitCondition(
          s + " not ready without Redis", OUTAGE_WAIT, () -> s.readiness().status() == 503);
      JsonNode check = PayaraSeedProtocolTest.roomcastCheck(s.readiness().json());
      assertThat(check.path("status").asText()).isEqualTo("DOWN");
      assertThat(check.path("data").path("backplaneUp").asText()).isEqualTo("false");
    }
    assertThat(
            a.postJson("/api/rooms/shared/messages", "{\"content\":\"lost?\"}", null, null)
                .status())
        .as("publishing without a backplane fails fast")
        .isEqualTo(503);

    redis.restart();
    for (PayaraMicroServer s : new PayaraMicroServer[] {a, b}) {
      PayaraMicroServer.awaitCondition(
          s + " ready again", OUTAGE_WAIT, () -> s.readiness().status() == 200);
    }
    String channel = RedisBackplane.fromUrl(redis.uri()).channelOf("after-outage");
    try (WsClient onB = WsClient.connect(b.ws("/after-outage"))) {
      onB.next("system");
      PayaraMicroServer.awaitCondition(
          "b subscribed to " + channel, Duration.ofSeconds(30), () -> redis.numsub(channel) == 1);
      PayaraMicroServer.Answer published =
          a.postJson("/api/rooms/after-outage/messages", "{\"content\":\"back\"}", null, null);
      assertThat(published.status()).as(published.body()).isEqualTo(200);
      assertThat(onB.next("message").path("content").asText()).isEqualTo("back");
    }
  }
}
