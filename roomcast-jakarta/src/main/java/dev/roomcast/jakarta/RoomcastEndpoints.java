package dev.roomcast.jakarta;

import dev.roomcast.Hub;
import jakarta.websocket.DeploymentException;
import jakarta.websocket.HandshakeResponse;
import jakarta.websocket.server.HandshakeRequest;
import jakarta.websocket.server.ServerContainer;
import jakarta.websocket.server.ServerEndpointConfig;
import java.util.Objects;

/**
 * Deploys roomcast's WebSocket endpoint into any Jakarta WebSocket {@link ServerContainer} (Tyrus
 * standalone, Tomcat, Jetty, GlassFish) with one call:
 *
 * <pre>{@code
 * Hub hub = Hub.builder().build();
 * RoomcastDeployment d =
 *     RoomcastEndpoints.deploy(serverContainer, hub, RoomcastEndpointConfig.defaults());
 * // ... later, after hub.drain(...) / hub.close():
 * d.close();
 * }</pre>
 *
 * In a servlet container, call it from a {@code ServletContextListener#contextInitialized} with the
 * container from the {@code jakarta.websocket.server.ServerContainer} servlet context attribute.
 *
 * <p>Two programmatic endpoints are added: {@code path} (room {@code default}, as the seed's bare
 * {@code /}) and {@code path/{room}}. Each WebSocket session gets its own endpoint instance from a
 * {@link ServerEndpointConfig.Configurator} that hands it the hub; the deployment owns one shared
 * keepalive scheduler thread for all sessions.
 */
public final class RoomcastEndpoints {
  private RoomcastEndpoints() {}

  /**
   * Adds the endpoints to {@code container}.
   *
   * @param container the container, still in its deployment phase
   * @param hub the hub every session joins
   * @param config path and keepalive settings
   * @return the deployment: session count and the keepalive scheduler to stop when done
   * @throws DeploymentException when the container refuses the endpoints (e.g. a path clash)
   */
  public static RoomcastDeployment deploy(
      ServerContainer container, Hub hub, RoomcastEndpointConfig config)
      throws DeploymentException {
    Objects.requireNonNull(container, "container");
    Objects.requireNonNull(hub, "hub");
    Objects.requireNonNull(config, "config");
    RoomcastDeployment deployment = new RoomcastDeployment(hub, config);
    try {
      container.addEndpoint(endpointConfig(config.bareRoomPath(), deployment, false));
      container.addEndpoint(endpointConfig(config.roomPathTemplate(), deployment, true));
    } catch (DeploymentException | RuntimeException e) {
      deployment.close();
      throw e;
    }
    return deployment;
  }

  private static ServerEndpointConfig endpointConfig(
      String path, RoomcastDeployment deployment, boolean roomInPath) {
    return ServerEndpointConfig.Builder.create(RoomcastEndpoint.class, path)
        .configurator(new Configurator(deployment, roomInPath))
        .build();
  }

  /**
   * Checks the origin and authenticates at the handshake ({@link HandshakeGate}), and hands every
   * new session its own endpoint bound to the deployment's hub.
   */
  static final class Configurator extends ServerEndpointConfig.Configurator {
    private final RoomcastDeployment deployment;
    private final HandshakeGate gate;

    Configurator(RoomcastDeployment deployment, boolean roomInPath) {
      this.deployment = deployment;
      this.gate = new HandshakeGate(deployment, roomInPath);
    }

    /** Every container answers {@code false} here with 403 before any other handshake work. */
    @Override
    public boolean checkOrigin(String originHeaderValue) {
      return gate.checkOrigin(originHeaderValue);
    }

    @Override
    public void modifyHandshake(
        ServerEndpointConfig sec, HandshakeRequest request, HandshakeResponse response) {
      gate.modifyHandshake(sec, request, response);
    }

    @Override
    public <T> T getEndpointInstance(Class<T> endpointClass) throws InstantiationException {
      if (endpointClass != RoomcastEndpoint.class) {
        throw new InstantiationException("unexpected endpoint class " + endpointClass.getName());
      }
      return endpointClass.cast(new RoomcastEndpoint(deployment));
    }
  }
}
