package dev.roomcast.jakarta.client;

import dev.roomcast.Hub;
import dev.roomcast.jakarta.RoomcastDeployment;
import dev.roomcast.jakarta.RoomcastEndpointConfig;
import dev.roomcast.jakarta.RoomcastEndpoints;
import java.net.URI;
import java.util.Map;
import org.glassfish.tyrus.container.grizzly.server.GrizzlyServerContainer;
import org.glassfish.tyrus.server.TyrusServerContainer;
import org.glassfish.tyrus.spi.ServerContainer;

/** The real endpoint and a hub in Tyrus on Grizzly, deployed through the public one-call API. */
final class HubServer implements AutoCloseable {
  private final Hub hub;
  private final ServerContainer container;
  private final RoomcastDeployment deployment;
  private final int port;

  private HubServer(Hub hub, RoomcastEndpointConfig config) throws Exception {
    this.hub = hub;
    this.container = new GrizzlyServerContainer().createContainer(Map.of());
    this.deployment = RoomcastEndpoints.deploy(container, hub, config);
    container.start("/", 0);
    this.port = ((TyrusServerContainer) container).getPort();
  }

  static HubServer start(Hub hub, RoomcastEndpointConfig config) throws Exception {
    return new HubServer(hub, config);
  }

  Hub hub() {
    return hub;
  }

  URI base() {
    return URI.create("ws://127.0.0.1:" + port);
  }

  @Override
  public void close() {
    hub.close();
    container.stop();
    deployment.close();
  }
}
