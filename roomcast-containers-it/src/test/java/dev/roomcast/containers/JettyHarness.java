package dev.roomcast.containers;

import dev.roomcast.Hub;
import dev.roomcast.jakarta.RoomcastDeployment;
import dev.roomcast.jakarta.RoomcastEndpointConfig;
import dev.roomcast.jakarta.RoomcastEndpoints;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.websocket.jakarta.server.config.JakartaWebSocketServletContainerInitializer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * Embedded Jetty 12 (ee10) with roomcast deployed through {@link
 * JakartaWebSocketServletContainerInitializer#configure}, Jetty's documented way to add endpoints
 * to an embedded context, on 127.0.0.1 and a free port.
 */
final class JettyHarness implements ContainerHarness {
  private final Server server;
  private final ServerConnector connector;
  private final Hub hub;
  private final AtomicReference<RoomcastDeployment> deployment = new AtomicReference<>();

  private JettyHarness(Hub hub, RoomcastEndpointConfig config, int sendBufferBytes)
      throws Exception {
    this.hub = hub;
    this.server = new Server();
    this.connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    if (sendBufferBytes > 0) {
      connector.setAcceptedSendBufferSize(sendBufferBytes);
    }
    server.addConnector(connector);

    ServletContextHandler context = new ServletContextHandler();
    context.setContextPath("/");
    server.setHandler(context);
    JakartaWebSocketServletContainerInitializer.configure(
        context,
        (servletContext, container) ->
            deployment.set(RoomcastEndpoints.deploy(container, hub, config)));
    try {
      server.start();
    } catch (Exception e) {
      close();
      throw e;
    }
    if (deployment.get() == null) {
      close();
      throw new IllegalStateException("roomcast was not deployed");
    }
  }

  static JettyHarness start(Hub hub, RoomcastEndpointConfig config) throws Exception {
    return new JettyHarness(hub, config, 0);
  }

  /** With a small socket send buffer, so a peer that stops reading stalls writes at once. */
  static JettyHarness start(Hub hub, RoomcastEndpointConfig config, int sendBufferBytes)
      throws Exception {
    return new JettyHarness(hub, config, sendBufferBytes);
  }

  @Override
  public Hub hub() {
    return hub;
  }

  @Override
  public RoomcastDeployment deployment() {
    return deployment.get();
  }

  @Override
  public int port() {
    return connector.getLocalPort();
  }

  @Override
  public void close() {
    try {
      hub.close(); // 1001 to every client
      server.stop();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    } finally {
      RoomcastDeployment d = deployment.get();
      if (d != null) {
        d.close();
      }
    }
  }
}
