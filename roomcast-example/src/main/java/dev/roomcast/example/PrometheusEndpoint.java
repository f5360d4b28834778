package dev.roomcast.example;

import dev.roomcast.Hub;
import dev.roomcast.grizzly.HttpResponses;
import dev.roomcast.jakarta.RoomcastDeployment;
import dev.roomcast.micrometer.RoomcastMetrics;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.glassfish.grizzly.http.server.Request;
import org.glassfish.grizzly.http.server.Response;

/**
 * {@code GET /metrics/prometheus}: the hub's meters ({@link RoomcastMetrics}, all {@code
 * roomcast_*}), the open WebSocket session count, and the JVM's memory, GC, thread, class loader,
 * CPU and uptime meters, in Prometheus text format (OpenMetrics when the scraper asks for it).
 *
 * <p>Room names never become labels (unbounded cardinality); per-room sizes stay on the JSON {@code
 * /metrics}. Thread-safe; {@link #close()} unhooks the GC listener.
 */
final class PrometheusEndpoint implements AutoCloseable {
  // The exposition formats' own constants live in a runtime-only dependency of the registry.
  static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";
  static final String OPEN_METRICS = "application/openmetrics-text; version=1.0.0; charset=utf-8";

  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final JvmGcMetrics gc = new JvmGcMetrics();

  PrometheusEndpoint(Hub hub, RoomcastDeployment deployment) {
    new RoomcastMetrics(hub).bindTo(registry);
    Gauge.builder("roomcast.websocket.sessions", deployment, RoomcastDeployment::openSessions)
        .description("WebSocket sessions the container has open on roomcast's endpoints")
        .register(registry);
    FunctionCounter.builder(
            "roomcast.websocket.send.text.sessions",
            deployment,
            RoomcastDeployment::sendTextSessions)
        .description(
            "WebSocket sessions that sent with the container's sendText (the slow path) instead of"
                + " pre-built frames")
        .register(registry);
    new JvmMemoryMetrics().bindTo(registry);
    gc.bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
  }

  void handle(Request request, Response response, Map<String, String> params) throws IOException {
    String accept = request.getHeader("Accept");
    String type =
        accept != null && accept.contains("application/openmetrics-text")
            ? OPEN_METRICS
            : PROMETHEUS_TEXT;
    HttpResponses.send(response, 200, type, registry.scrape(type).getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public void close() {
    gc.close();
    registry.close();
  }
}
