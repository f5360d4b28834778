package dev.roomcast.cdi.internal;

import dev.roomcast.Hub;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * MicroProfile Health readiness ({@code /health/ready}): {@code roomcast} is UP while the WebSocket
 * endpoint is deployed, the hub takes connections and its backplane is reachable; DOWN before the
 * endpoint is deployed (a server may run health checks before the web module has started), while
 * the backplane is unreachable, while the application drains, and after it stopped, so a load
 * balancer sends new clients elsewhere. The data says which. Thread-safe; never blocks (the hub's
 * state is read, not probed).
 */
@Readiness
@ApplicationScoped
public class RoomcastReadiness implements HealthCheck {
  @Inject RoomcastRuntime runtime;

  @Override
  public HealthCheckResponse call() {
    Hub hub = runtime.hub();
    return HealthCheckResponse.named("roomcast")
        .status(runtime.endpointDeployed() && hub.isReady())
        .withData("websocket", runtime.endpointDeployed() ? "deployed" : "not deployed yet")
        .withData("backplane", hub.backplaneName())
        .withData("backplaneUp", hub.isBackplaneUp())
        .withData("draining", runtime.draining())
        .withData("connections", hub.metrics().connections())
        .build();
  }
}
