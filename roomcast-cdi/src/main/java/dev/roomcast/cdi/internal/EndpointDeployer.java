package dev.roomcast.cdi.internal;

import jakarta.enterprise.inject.spi.CDI;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.websocket.server.ServerContainer;

/**
 * Deploys the WebSocket endpoint when the application starts, from the container every Jakarta
 * WebSocket server puts into the servlet context before listeners run, and drains when the
 * application stops. Added by {@link RoomcastInitializer}.
 */
final class EndpointDeployer implements ServletContextListener {
  @Override
  public void contextInitialized(ServletContextEvent event) {
    Object container = event.getServletContext().getAttribute(ServerContainer.class.getName());
    if (!(container instanceof ServerContainer serverContainer)) {
      throw new IllegalStateException(
          "roomcast: this server put no jakarta.websocket.server.ServerContainer into the servlet"
              + " context; it needs Jakarta WebSocket support");
    }
    runtime().deploy(serverContainer);
  }

  @Override
  public void contextDestroyed(ServletContextEvent event) {
    runtime().stop("the web application stops");
  }

  private static RoomcastRuntime runtime() {
    return CDI.current().select(RoomcastRuntime.class).get();
  }
}
