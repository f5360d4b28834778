package dev.roomcast.jakarta;

import dev.roomcast.Hub;
import java.net.URI;
import java.util.Map;
import org.glassfish.tyrus.container.grizzly.server.GrizzlyServerContainer;
import org.glassfish.tyrus.spi.ServerContainer;

/** Tyrus standalone on Grizzly with roomcast deployed through the public one-call API. */
final class TyrusHarness implements AutoCloseable {
  final Hub hub;
  final RoomcastDeployment deployment;
  private final ServerContainer container;
  final int port;

  private TyrusHarness(Hub hub, RoomcastEndpointConfig config) throws Exception {
    this.hub = hub;
    this.container = new GrizzlyServerContainer().createContainer(Map.of());
    this.deployment = RoomcastEndpoints.deploy(container, hub, config);
    container.start("/", 0);
    this.port = ((org.glassfish.tyrus.server.TyrusServerContainer) container).getPort();
  }

  static TyrusHarness start(Hub hub, RoomcastEndpointConfig config) throws Exception {
    return new TyrusHarness(hub, config);
  }

  URI ws(String pathAndQuery) {
    return URI.create("ws://127.0.0.1:" + port + pathAndQuery);
  }

  @Override
  public void close() {
    hub.close();
    container.stop();
    deployment.close();
  }
}
