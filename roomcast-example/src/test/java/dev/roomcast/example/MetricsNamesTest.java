package dev.roomcast.example;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The JSON {@code /metrics} keys are a public interface (dashboards and alerts read them): this
 * pins every one, so renaming a Java accessor or adding a counter cannot change them unnoticed.
 */
class MetricsNamesTest {
  static TestServer server;

  @BeforeAll
  static void start() throws Exception {
    server = TestServer.start(Map.of("ROOMCAST_METRICS_ROOM_NAMES", "false"));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static List<String> paths(JsonNode node, String prefix) {
    List<String> out = new ArrayList<>();
    node.fields()
        .forEachRemaining(
            e -> {
              String path = prefix + e.getKey();
              if (e.getValue().isObject()) {
                out.addAll(paths(e.getValue(), path + "."));
              } else {
                out.add(path);
              }
            });
    return out;
  }

  @Test
  void theMetricsKeysAreExactlyThese() throws Exception {
    assertThat(paths(server.metrics(), ""))
        .containsExactly(
            "total_connections",
            "room_count",
            "roomcast.connections",
            "roomcast.rooms",
            "roomcast.connections_opened",
            "roomcast.connections_closed",
            "roomcast.connections_rejected",
            "roomcast.messages_in",
            "roomcast.messages_out",
            "roomcast.bytes_in",
            "roomcast.bytes_out",
            "roomcast.slow_consumers_closed",
            "roomcast.budget_closed",
            "roomcast.queued_bytes",
            "roomcast.errors",
            "roomcast.publish_failures",
            "roomcast.backplane_outages",
            "roomcast.backplane_up",
            "roomcast.resumes_recovered",
            "roomcast.resumes_not_recovered",
            "roomcast.gaps_skipped",
            "roomcast.delivery_latency_count",
            "roomcast.delivery_latency_total_millis",
            "roomcast.messages_delayed",
            "roomcast.rate_closed",
            "roomcast.handler_rejected",
            "roomcast.handler_failures",
            "roomcast.websocket_sessions",
            "roomcast.websocket_send_text_sessions",
            "roomcast.sse_streams",
            "roomcast.history_bytes",
            "edge.pending_connections",
            "edge.client_connections",
            "edge.client_addresses",
            "edge.inbound_bytes",
            "edge.connections_refused",
            "edge.address_limited",
            "edge.requests_refused",
            "edge.body_timeouts",
            "edge.publish_rate_limited",
            "edge.protocol_errors",
            "edge.message_timeouts",
            "edge.inbound_budget_refused",
            "edge.write_queue_overflows",
            "edge.unread_responses",
            "backplane",
            "node_id",
            "ready",
            "draining");
  }
}
