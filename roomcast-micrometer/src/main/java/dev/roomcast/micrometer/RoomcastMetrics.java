package dev.roomcast.micrometer;

import dev.roomcast.Hub;
import dev.roomcast.MetricsSnapshot;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;
import java.util.function.ToLongFunction;

/**
 * Binds a {@link Hub}'s counters and gauges to a Micrometer registry, in the style of
 * resilience4j-micrometer: the hub keeps plain counters, this reads them when the registry scrapes.
 * Room names are never tags (unbounded cardinality); per-room sizes stay on the hub's JSON {@code
 * /metrics}.
 *
 * <p>Meters (all prefixed {@code roomcast.}): gauges {@code connections}, {@code rooms}, {@code
 * backplane.up}; counters {@code connections.opened}, {@code connections.closed}, {@code
 * connections.rejected}, {@code messages.in}, {@code messages.out}, {@code bytes.in}, {@code
 * bytes.out}, {@code slow.consumers.closed}, {@code errors}, {@code publish.failures}, {@code
 * backplane.outages}, {@code resumes} (tag {@code recovered=true|false}), {@code gaps.skipped};
 * function timer {@code delivery.latency} (publish to write completion). Every meter carries the
 * tags given to the constructor plus {@code backplane=<name>}.
 *
 * <p>Thread-safe; each meter reads the hub's counters directly, so the binder holds no state of its
 * own besides the hub reference.
 */
public final class RoomcastMetrics implements MeterBinder {
  private final Hub hub;
  private final Tags tags;

  /** Binds {@code hub} with no extra tags. */
  public RoomcastMetrics(Hub hub) {
    this(hub, Tags.empty());
  }

  /** Binds {@code hub} with extra tags (e.g. {@code instance}); never use room names as tags. */
  public RoomcastMetrics(Hub hub, Iterable<Tag> tags) {
    this.hub = Objects.requireNonNull(hub, "hub");
    this.tags = Tags.of(tags).and("backplane", hub.backplaneName());
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    gauge(registry, "roomcast.connections", "open connections", MetricsSnapshot::connections);
    gauge(registry, "roomcast.rooms", "rooms with local members", MetricsSnapshot::rooms);
    gauge(
        registry,
        "roomcast.outbox.queued.bytes",
        "frame bytes queued for all connections, each shared frame once",
        MetricsSnapshot::queuedBytes);
    gauge(
        registry,
        "roomcast.backplane.up",
        "1 while the backplane is reachable",
        s -> s.backplaneUp() ? 1 : 0);
    counter(
        registry,
        "roomcast.connections.opened",
        "connections accepted",
        MetricsSnapshot::connectionsOpened,
        Tags.empty());
    counter(
        registry,
        "roomcast.connections.closed",
        "connections closed",
        MetricsSnapshot::connectionsClosed,
        Tags.empty());
    counter(
        registry,
        "roomcast.connections.rejected",
        "joins refused (full, draining, invalid room, auth)",
        MetricsSnapshot::connectionsRejected,
        Tags.empty());
    counter(
        registry,
        "roomcast.messages.in",
        "room messages accepted",
        MetricsSnapshot::messagesIn,
        Tags.empty());
    counter(
        registry,
        "roomcast.messages.out",
        "frames written to clients",
        MetricsSnapshot::messagesOut,
        Tags.empty());
    counter(
        registry,
        "roomcast.bytes.in",
        "inbound text bytes",
        MetricsSnapshot::bytesIn,
        Tags.empty());
    counter(
        registry,
        "roomcast.bytes.out",
        "outbound frame bytes",
        MetricsSnapshot::bytesOut,
        Tags.empty());
    counter(
        registry,
        "roomcast.slow.consumers.closed",
        "connections closed because their outbox overflowed",
        MetricsSnapshot::slowConsumersClosed,
        Tags.empty());
    counter(
        registry,
        "roomcast.outbox.budget.closed",
        "of those, closed because all queues together reached the hub-wide bound",
        MetricsSnapshot::budgetClosed,
        Tags.empty());
    counter(
        registry,
        "roomcast.errors",
        "error frames sent to clients",
        MetricsSnapshot::errors,
        Tags.empty());
    counter(
        registry,
        "roomcast.publish.failures",
        "publishes the backplane refused or could not take",
        MetricsSnapshot::publishFailures,
        Tags.empty());
    counter(
        registry,
        "roomcast.backplane.outages",
        "times the backplane connection was lost",
        MetricsSnapshot::backplaneOutages,
        Tags.empty());
    counter(
        registry,
        "roomcast.resumes",
        "resumes by outcome",
        MetricsSnapshot::resumesRecovered,
        Tags.of("recovered", "true"));
    counter(
        registry,
        "roomcast.resumes",
        "resumes by outcome",
        MetricsSnapshot::resumesNotRecovered,
        Tags.of("recovered", "false"));
    counter(
        registry,
        "roomcast.gaps.skipped",
        "live messages members missed after an outage that history no longer had",
        MetricsSnapshot::gapsSkipped,
        Tags.empty());
    counter(
        registry,
        "roomcast.messages.delayed",
        "client messages that waited for the publish rate (slowed, not dropped)",
        MetricsSnapshot::messagesDelayed,
        Tags.empty());
    counter(
        registry,
        "roomcast.rate.closed",
        "connections closed with 1008 because their queue of waiting messages was full",
        MetricsSnapshot::rateClosed,
        Tags.empty());
    counter(
        registry,
        "roomcast.handler.rejected",
        "client messages the application's message handler rejected",
        MetricsSnapshot::handlerRejected,
        Tags.empty());
    counter(
        registry,
        "roomcast.handler.failures",
        "client messages refused because the message handler threw, failed or answered late",
        MetricsSnapshot::handlerFailures,
        Tags.empty());
    FunctionTimer.builder(
            "roomcast.delivery.latency",
            hub,
            h -> h.metrics().deliveryLatencyCount(),
            h -> h.metrics().deliveryLatencyTotalMillis(),
            TimeUnit.MILLISECONDS)
        .description("publish to write completion, per delivered room message")
        .tags(tags)
        .register(registry);
  }

  private void gauge(
      MeterRegistry registry,
      String name,
      String description,
      ToDoubleFunction<MetricsSnapshot> f) {
    Gauge.builder(name, hub, h -> f.applyAsDouble(h.metrics()))
        .description(description)
        .tags(tags)
        .strongReference(false)
        .register(registry);
  }

  private void counter(
      MeterRegistry registry,
      String name,
      String description,
      ToLongFunction<MetricsSnapshot> f,
      Tags extra) {
    FunctionCounter.builder(name, hub, h -> f.applyAsLong(h.metrics()))
        .description(description)
        .tags(tags.and(extra))
        .register(registry);
  }
}
