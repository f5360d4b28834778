package dev.roomcast.client;

import dev.roomcast.Hub;
import dev.roomcast.jakarta.RoomcastDeployment;
import dev.roomcast.jakarta.RoomcastEndpointConfig;
import dev.roomcast.jakarta.RoomcastEndpoints;
import java.io.IOException;
import java.net.BindException;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.glassfish.tyrus.container.grizzly.server.GrizzlyServerContainer;
import org.glassfish.tyrus.server.TyrusServerContainer;
import org.glassfish.tyrus.spi.ServerContainer;

/** The real endpoint and a hub in Tyrus on Grizzly, deployed through the public one-call API. */
final class HubServer implements AutoCloseable {
  private final Hub hub;
  private final ServerContainer container;
  private final RoomcastDeployment deployment;
  private final int port;

  private HubServer(Hub hub, int port) throws Exception {
    this.hub = hub;
    this.container = new GrizzlyServerContainer().createContainer(Map.of());
    this.deployment = RoomcastEndpoints.deploy(container, hub, RoomcastEndpointConfig.defaults());
    try {
      container.start("/", port);
    } catch (Exception e) {
      deployment.close();
      throw e;
    }
    this.port = ((TyrusServerContainer) container).getPort();
  }

  /** On a free port. */
  static HubServer start(Hub hub) throws Exception {
    return new HubServer(hub, 0);
  }

  /**
   * On a given port: the port of a server that was just stopped, as a restart does. The port is an
   * ephemeral one, so while it was free something else may hold it for a moment (the client's own
   * reconnect attempts can even connect to themselves on it): binding is retried for a while.
   */
  static HubServer start(Hub hub, int port) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (true) {
      try {
        return new HubServer(hub, port);
      } catch (IOException e) {
        if (!(e instanceof BindException || e.getCause() instanceof BindException)
            || System.nanoTime() - deadline >= 0) {
          throw e;
        }
        Thread.sleep(50);
      }
    }
  }

  Hub hub() {
    return hub;
  }

  int port() {
    return port;
  }

  URI base() {
    return URI.create("ws://127.0.0.1:" + port);
  }

  /**
   * What a server does on SIGTERM: refuse joins and close every connection with 1012, give the
   * close frames a moment to leave, stop.
   */
  void drainAndStop() throws Exception {
    hub.drain(Duration.ZERO).get();
    deployment.awaitSessionsClosed(Duration.ofSeconds(1));
    close();
  }

  @Override
  public void close() {
    hub.close();
    container.stop();
    deployment.close();
  }
}
