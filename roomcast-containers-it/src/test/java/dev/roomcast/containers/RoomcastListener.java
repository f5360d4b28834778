package dev.roomcast.containers;

import dev.roomcast.Hub;
import dev.roomcast.jakarta.RoomcastDeployment;
import dev.roomcast.jakarta.RoomcastEndpointConfig;
import dev.roomcast.jakarta.RoomcastEndpoints;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.websocket.DeploymentException;
import jakarta.websocket.server.ServerContainer;
import java.time.Duration;

/**
 * How an application deploys roomcast into a servlet container it does not own: a {@link
 * ServletContextListener} takes the container's {@link ServerContainer} from the servlet context
 * attribute and calls {@link RoomcastEndpoints#deploy}. This is the code docs/embedding.md shows
 * (there as a {@code @WebListener}); the Tomcat tests run it as Tomcat runs a web application's
 * listener.
 */
final class RoomcastListener implements ServletContextListener {
  private final Hub hub;
  private final RoomcastEndpointConfig config;
  private final Duration drain;
  private volatile RoomcastDeployment deployment;

  RoomcastListener(Hub hub, RoomcastEndpointConfig config, Duration drain) {
    this.hub = hub;
    this.config = config;
    this.drain = drain;
  }

  @Override
  public void contextInitialized(ServletContextEvent event) {
    ServerContainer container =
        (ServerContainer) event.getServletContext().getAttribute(ServerContainer.class.getName());
    if (container == null) {
      throw new IllegalStateException("no WebSocket ServerContainer in this servlet context");
    }
    try {
      deployment = RoomcastEndpoints.deploy(container, hub, config);
    } catch (DeploymentException e) {
      throw new IllegalStateException("roomcast endpoint deployment failed", e);
    }
  }

  @Override
  public void contextDestroyed(ServletContextEvent event) {
    try {
      // 1012 to every client, spread out, so they reconnect elsewhere and resume
      hub.drain(drain).get();
    } catch (Exception e) {
      // stopping anyway
    } finally {
      hub.close();
      if (deployment != null) {
        deployment.close();
      }
    }
  }

  RoomcastDeployment deployment() {
    return deployment;
  }
}
