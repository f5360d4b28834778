package dev.roomcast.example;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.roomcast.CloseCodes;
import dev.roomcast.jakarta.testkit.WsClient;
import dev.roomcast.redis.RedisServer;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * One example-server process on a {@code redis-server} without persistence: a restart loses the
 * history (resuming clients are told {@code recovered: false}); then Redis goes away for good and
 * the instance keeps serving its local members, reports not ready, counts the outage, and still
 * shuts down cleanly on SIGTERM.
 */
class RedisOutageProcessIT {

  @Test
  void historyLostOnAnEphemeralRestartThenRedisGoneForGood() throws Exception {
    try (RedisServer redis = RedisServer.start();
        JarProcess server =
            JarProcess.start(
                Map.of(
                    "REDIS_URL",
                    redis.uri(),
                    "ROOMCAST_DRAIN_SECONDS",
                    "2",
                    "ROOMCAST_METRICS_ROOM_NAMES",
                    "true"))) {
      // --- a restart without persistence: history and epoch are gone
      String epoch;
      long offset;
      try (WsClient c = WsClient.connect(server.ws("/ephemeral"))) {
        c.next("system");
        c.send("{\"content\":\"before\"}");
        JsonNode m = c.next("message");
        epoch = m.path("epoch").asText();
        offset = m.path("offset").asLong();
      }
      redis.kill();
      TestServer.await("not ready", Duration.ofSeconds(15), () -> server.readyStatus() == 503);
      redis.restart();
      TestServer.await("ready again", Duration.ofSeconds(20), () -> server.readyStatus() == 200);
      try (WsClient resumed =
          WsClient.connect(server.ws("/ephemeral?since=" + offset + "&epoch=" + epoch))) {
        JsonNode w = resumed.next("system");
        assertThat(w.path("recovered").asBoolean()).isFalse();
        assertThat(w.path("epoch").asText()).isNotEqualTo(epoch);
        resumed.send("{\"content\":\"after\"}");
        JsonNode after = resumed.next("message");
        assertThat(after.path("epoch").asText()).isEqualTo(w.path("epoch").asText());
      }

      // --- gone for good
      try (WsClient member = WsClient.connect(server.ws("/stay"));
          WsClient other = WsClient.connect(server.ws("/stay"));
          SseClient subscriber = SseClient.open(server.http("/events/stay"))) {
        member.next("system");
        other.next("system");
        subscriber.next("system");
        long outagesBefore = server.metrics().path("roomcast").path("backplane_outages").asLong();
        redis.close();
        TestServer.await("not ready", Duration.ofSeconds(15), () -> server.readyStatus() == 503);
        assertThat(server.get("/ready").body()).contains("backplane redis unreachable");

        member.send("{\"content\":\"into the void\"}");
        JsonNode error = member.next("error");
        assertThat(error.path("message").asText()).startsWith("message not delivered: ");
        HttpResponse<String> http = server.publish("stay", "1");
        assertThat(http.statusCode()).isEqualTo(503);
        assertThat(http.body()).contains("message not delivered");

        JsonNode metrics = server.metrics();
        assertThat(metrics.path("roomcast").path("backplane_outages").asLong())
            .isGreaterThan(outagesBefore);
        assertThat(metrics.path("roomcast").path("backplane_up").asBoolean()).isFalse();
        assertThat(metrics.path("ready").asBoolean()).isFalse();
        assertThat(metrics.path("rooms").path("stay").asInt()).as("all still members").isEqualTo(3);
        // a newcomer still gets in, locally
        try (WsClient late = WsClient.connect(server.ws("/stay"))) {
          assertThat(late.next("system").path("message").asText()).startsWith("Welcome");
        }
        assertThat(member.isClosed()).isFalse();
        assertThat(other.isClosed()).isFalse();

        long t0 = System.nanoTime();
        server.sigterm();
        assertThat(member.awaitClose(Duration.ofSeconds(10)).code())
            .isEqualTo(CloseCodes.SERVICE_RESTART);
        assertThat(subscriber.awaitEnd(Duration.ofSeconds(10))).isTrue();
        assertThat(server.process.process.waitFor(10, TimeUnit.SECONDS))
            .as("exited within 10 s of SIGTERM")
            .isTrue();
        assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(10_000);
        assertThat(server.process.process.exitValue()).isEqualTo(143);
      }
    }
  }
}
