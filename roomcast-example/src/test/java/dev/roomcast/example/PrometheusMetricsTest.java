package dev.roomcast.example;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roomcast.jakarta.testkit.WsClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code GET /metrics/prometheus} scraped over HTTP while clients are connected. */
class PrometheusMetricsTest {
  static final String ROOM = "very-secret-room-name";

  /** One sample line: name, optional {labels}, value. */
  static final Pattern SAMPLE =
      Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)})? (\\S+)( \\S+)?$");

  static final Pattern LABEL =
      Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

  static TestServer server;

  @BeforeAll
  static void start() throws Exception {
    server = TestServer.start();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void scrapeHasRoomcastAndJvmMetersAndNoRoomNames() {
    try (WsClient a = WsClient.connect(server.ws("/" + ROOM));
        WsClient b = WsClient.connect(server.ws("/" + ROOM))) {
      a.next("system");
      b.next("system");
      a.send("{\"content\":\"hello\"}");
      a.next("message");
      b.next("message");
      TestServer.await(
          "the delivery latency is recorded for both members",
          WsClient.WAIT,
          () -> server.server.hub().metrics().deliveryLatencyCount() >= 2);

      HttpResponse<String> res = server.get("/metrics/prometheus");
      assertThat(res.statusCode()).isEqualTo(200);
      assertThat(res.headers().firstValue("Content-Type"))
          .hasValueSatisfying(t -> assertThat(t).startsWith("text/plain; version=0.0.4"));
      Map<String, List<String>> samples = samples(res.body());

      assertThat(value(samples, "roomcast_connections", "")).isEqualTo(2.0);
      assertThat(value(samples, "roomcast_rooms", "")).isEqualTo(1.0);
      assertThat(value(samples, "roomcast_websocket_sessions", "")).isEqualTo(2.0);
      // the example's sessions reach its own writer: none took the slow sendText path
      assertThat(value(samples, "roomcast_websocket_send_text_sessions_total", "")).isEqualTo(0.0);
      assertThat(value(samples, "roomcast_connections_opened_total", "")).isGreaterThanOrEqualTo(2);
      assertThat(value(samples, "roomcast_messages_in_total", "")).isGreaterThanOrEqualTo(1);
      assertThat(value(samples, "roomcast_messages_out_total", "")).isGreaterThanOrEqualTo(4);
      assertThat(value(samples, "roomcast_delivery_latency_seconds_count", ""))
          .isGreaterThanOrEqualTo(2);
      assertThat(value(samples, "roomcast_backplane_up", "backplane=\"in-memory\"")).isEqualTo(1.0);
      assertThat(samples).containsKey("roomcast_resumes_total");
      assertThat(samples).containsKeys("jvm_memory_used_bytes", "jvm_threads_live_threads");
      assertThat(samples).containsKeys("process_uptime_seconds", "system_cpu_count");

      // Cardinality: room names are never label values (nor anywhere else in the scrape).
      assertThat(res.body()).doesNotContain(ROOM);
      for (List<String> lines : samples.values()) {
        for (String labels : lines) {
          Matcher m = LABEL.matcher(labels);
          while (m.find()) {
            assertThat(m.group(1)).isNotEqualTo("room");
          }
        }
      }
      // nor in the JSON /metrics, unless ROOMCAST_METRICS_ROOM_NAMES says so: only counts
      String json = server.get("/metrics").body();
      assertThat(json).doesNotContain(ROOM).contains("\"room_count\":");
    }
  }

  @Test
  void openMetricsWhenTheScraperAsksForIt() {
    HttpResponse<String> res =
        server.request(
            HttpRequest.newBuilder(server.http("/metrics/prometheus"))
                .header("Accept", "application/openmetrics-text; version=1.0.0")
                .build());
    assertThat(res.statusCode()).isEqualTo(200);
    assertThat(res.headers().firstValue("Content-Type"))
        .hasValueSatisfying(t -> assertThat(t).startsWith("application/openmetrics-text"));
    assertThat(res.body()).contains("roomcast_connections").endsWith("# EOF\n");
  }

  /** Sample name to the label parts of its lines; fails on any line that is not a sample. */
  private static Map<String, List<String>> samples(String body) {
    Map<String, List<String>> out = new java.util.HashMap<>();
    for (String line : body.split("\n")) {
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      Matcher m = SAMPLE.matcher(line);
      assertThat(m.matches()).as("a sample line: %s", line).isTrue();
      out.computeIfAbsent(m.group(1), k -> new ArrayList<>())
          .add((m.group(3) == null ? "" : m.group(3)) + " " + m.group(4));
    }
    return out;
  }

  /** The value of the one sample of {@code name} whose labels contain {@code labelPart}. */
  private static double value(Map<String, List<String>> samples, String name, String labelPart) {
    assertThat(samples).containsKey(name);
    List<String> matching =
        samples.get(name).stream()
            .filter(l -> l.substring(0, l.lastIndexOf(' ')).contains(labelPart))
            .toList();
    assertThat(matching).as(name + " samples with " + labelPart).hasSize(1);
    String line = matching.get(0);
    return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
  }
}
