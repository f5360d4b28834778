package dev.roomcast.spring.boot.autoconfigure;

import dev.roomcast.Hub;
import dev.roomcast.jakarta.RoomcastDeployment;
import dev.roomcast.jakarta.RoomcastEndpointConfig;
import dev.roomcast.jakarta.RoomcastEndpoints;
import jakarta.servlet.ServletContext;
import jakarta.websocket.DeploymentException;
import jakarta.websocket.server.ServerContainer;
import java.time.Duration;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * The roomcast WebSocket endpoint deployed into the servlet container's Jakarta WebSocket {@link
 * ServerContainer} (embedded Tomcat or Jetty): rooms at {@code {path}/{room}}, room {@code default}
 * at {@code {path}}. The auto-configuration creates it once the embedded server exists, since the
 * container only appears in the servlet context then.
 *
 * <p>In a mock servlet environment (a {@code @SpringBootTest} without a real server) there is no
 * container: nothing is deployed and {@link #deployment()} is empty. With a real server, a missing
 * container is an error (WebSocket support missing from the server).
 *
 * <p>Thread-safe. {@link #close()} (called when the context closes, after the drain) stops the
 * endpoint's keepalive threads; connections are closed by the hub's drain and close.
 */
public final class RoomcastWebSocket implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(RoomcastWebSocket.class.getName());

  private final RoomcastDeployment deployment;

  private RoomcastWebSocket(RoomcastDeployment deployment) {
    this.deployment = deployment;
  }

  /**
   * Deploys the endpoint into the container found in {@code servletContext}.
   *
   * @param containerRequired whether a missing container is an error (a real server) or means a
   *     mock environment
   * @throws IllegalStateException when the container is required but absent, or refuses the
   *     endpoint (e.g. another endpoint at the same path)
   */
  public static RoomcastWebSocket deploy(
      ServletContext servletContext,
      Hub hub,
      RoomcastEndpointConfig config,
      boolean containerRequired) {
    Object container = servletContext.getAttribute(ServerContainer.class.getName());
    if (!(container instanceof ServerContainer sc)) {
      if (containerRequired) {
        throw new IllegalStateException(
            "The servlet container has no Jakarta WebSocket support ("
                + ServerContainer.class.getName()
                + " attribute missing), so roomcast's endpoint cannot be deployed. Use embedded"
                + " Tomcat (tomcat-embed-websocket) or Jetty (jetty-ee11-websocket-jakarta-server),"
                + " or set roomcast.websocket.enabled=false.");
      }
      LOG.info(
          "no Jakarta WebSocket container (mock servlet environment): roomcast endpoint not deployed");
      return new RoomcastWebSocket(null);
    }
    try {
      return new RoomcastWebSocket(RoomcastEndpoints.deploy(sc, hub, config));
    } catch (DeploymentException e) {
      throw new IllegalStateException(
          "roomcast WebSocket endpoint at "
              + config.path()
              + " refused by the container: "
              + e.getMessage(),
          e);
    }
  }

  /** The deployment, or empty in a mock servlet environment. */
  public Optional<RoomcastDeployment> deployment() {
    return Optional.ofNullable(deployment);
  }

  /** Open WebSocket sessions on the endpoint (0 when not deployed). */
  public int openSessions() {
    return deployment == null ? 0 : deployment.openSessions();
  }

  /**
   * Waits until every session has closed (the close handshake completed) or {@code timeout} passed.
   *
   * @return whether every session closed in time
   */
  public boolean awaitSessionsClosed(Duration timeout) throws InterruptedException {
    return deployment == null || deployment.awaitSessionsClosed(timeout);
  }

  /** Stops the endpoint's keepalive threads. Idempotent. */
  @Override
  public void close() {
    if (deployment != null) {
      deployment.close();
    }
  }
}
