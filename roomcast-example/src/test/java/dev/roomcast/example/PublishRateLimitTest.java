package dev.roomcast.example;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * HTTP publishing is rate-limited per client address (a server of its own: the limit is shared).
 */
class PublishRateLimitTest {
  static TestServer server;

  @BeforeAll
  static void start() throws IOException {
    server =
        TestServer.start(
            Map.of("ROOMCAST_HTTP_PUBLISH_RATE", "5", "ROOMCAST_HTTP_PUBLISH_BURST", "5"));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void publishingFasterThanTheRateIs429WithRetryAfter() {
    int accepted = 0;
    HttpResponse<String> limited = null;
    for (int i = 0; i < 20 && limited == null; i++) {
      HttpResponse<String> r =
          server.request(
              HttpRequest.newBuilder(server.http("/rooms/rate/messages"))
                  .POST(HttpRequest.BodyPublishers.ofString("{\"content\":" + i + "}"))
                  .build());
      if (r.statusCode() == 429) {
        limited = r;
      } else {
        assertThat(r.statusCode()).isEqualTo(200);
        accepted++;
      }
    }
    assertThat(limited).as("a 429 within 20 publishes at 5/s").isNotNull();
    assertThat(accepted).isBetween(1, 10);
    assertThat(limited.headers().firstValue("Retry-After")).isPresent();
    assertThat(Integer.parseInt(limited.headers().firstValue("Retry-After").get())).isBetween(1, 2);
    assertThat(limited.body()).contains("publish rate exceeded");
  }
}
