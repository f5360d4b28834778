package dev.roomcast.grizzly.internal;

import jakarta.websocket.DeploymentException;
import jakarta.websocket.server.ServerEndpointConfig;
import java.util.Set;
import org.glassfish.tyrus.core.TyrusWebSocketEngine;
import org.glassfish.tyrus.server.TyrusServerContainer;
import org.glassfish.tyrus.spi.WebSocketEngine;

/**
 * A Tyrus server container without a server of its own: {@link dev.roomcast.grizzly.RoomcastServer}
 * runs the Grizzly {@code HttpServer} and plugs this container's engine in with {@link
 * WebSocketUpgradeAddOn}, next to its own HTTP handler on the same port. (Tyrus' {@code
 * GrizzlyServerContainer} builds a server that serves only WebSockets and static files.)
 *
 * <p>Endpoints added with {@link #addEndpoint} are registered with the engine by {@link
 * #start(String, int)}, which starts nothing else.
 */
public final class EmbeddedTyrusContainer extends TyrusServerContainer {
  /** The context path the WebSocket add-on serves: the whole port. */
  public static final String CONTEXT_PATH = "/";

  private final TyrusWebSocketEngine engine;

  public EmbeddedTyrusContainer(int incomingBufferSize) {
    super((Set<Class<?>>) null);
    this.engine = TyrusWebSocketEngine.builder(this).incomingBufferSize(incomingBufferSize).build();
  }

  @Override
  public void register(Class<?> endpointClass) throws DeploymentException {
    engine.register(endpointClass, CONTEXT_PATH);
  }

  @Override
  public void register(ServerEndpointConfig serverEndpointConfig) throws DeploymentException {
    engine.register(serverEndpointConfig, CONTEXT_PATH);
  }

  @Override
  public WebSocketEngine getWebSocketEngine() {
    return engine;
  }
}
