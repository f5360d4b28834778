package dev.roomcast.spring.boot.autoconfigure;

import dev.roomcast.Hub;
import dev.roomcast.MetricsSnapshot;
import java.util.Objects;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * The hub's readiness as an Actuator health contributor ({@code roomcast}): {@code UP} while it
 * takes connections, {@code DOWN} while its backplane is unreachable (e.g. Redis is down: publishes
 * fail, connections stay open), {@code OUT_OF_SERVICE} while it drains or after it closed. The
 * auto-configuration adds it to the {@code readiness} group, so a load balancer stops sending new
 * clients to an instance that cannot deliver or is shutting down; it stays out of {@code liveness},
 * since restarting an instance does not bring Redis back.
 *
 * <p>Details: the backplane's name, this hub's node id, open connections and rooms. No room names.
 * Thread-safe: every call reads the hub's current state.
 */
public final class RoomcastHealthIndicator implements HealthIndicator {
  private final Hub hub;

  public RoomcastHealthIndicator(Hub hub) {
    this.hub = Objects.requireNonNull(hub, "hub");
  }

  @Override
  public Health health() {
    Health.Builder h;
    if (!hub.isBackplaneUp()) {
      h = Health.down().withDetail("reason", "backplane " + hub.backplaneName() + " unreachable");
    } else if (!hub.isReady()) {
      h = Health.outOfService().withDetail("reason", "draining or closed");
    } else {
      h = Health.up();
    }
    MetricsSnapshot m = hub.metrics();
    return h.withDetail("backplane", hub.backplaneName())
        .withDetail("node", hub.nodeId())
        .withDetail("connections", m.connections())
        .withDetail("rooms", m.rooms())
        .build();
  }
}
