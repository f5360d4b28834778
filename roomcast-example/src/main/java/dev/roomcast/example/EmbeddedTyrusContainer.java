package dev.roomcast.example;

import jakarta.websocket.DeploymentException;
import jakarta.websocket.server.ServerEndpointConfig;
import java.lang.reflect.Constructor;
import java.util.Set;
import org.glassfish.grizzly.http.server.AddOn;
import org.glassfish.tyrus.container.grizzly.server.WebSocketAddOn;
import org.glassfish.tyrus.core.TyrusWebSocketEngine;
import org.glassfish.tyrus.server.TyrusServerContainer;
import org.glassfish.tyrus.spi.ServerContainer;
import org.glassfish.tyrus.spi.WebSocketEngine;

/**
 * A Tyrus server container without a server of its own: {@link ExampleServer} runs the Grizzly
 * {@code HttpServer} and plugs this container in with Tyrus' {@code WebSocketAddOn}, next to its
 * own HTTP handler on the same port. (Tyrus' {@code GrizzlyServerContainer} builds a server that
 * serves only WebSockets and static files.)
 *
 * <p>Endpoints added with {@link #addEndpoint} are registered with the engine by {@link
 * #start(String, int)}, which starts nothing else.
 */
final class EmbeddedTyrusContainer extends TyrusServerContainer {
  /** The context path the WebSocket add-on serves: the whole port. */
  static final String CONTEXT_PATH = "/";

  private final TyrusWebSocketEngine engine;

  EmbeddedTyrusContainer(int incomingBufferSize) {
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

  /**
   * Tyrus' Grizzly add-on that routes WebSocket upgrades and frames to this container. Its
   * constructor is package-private in Tyrus 2.2.0 (the class is public "to allow other developers
   * use this with their own GrizzlyServerContainer alternative", TYRUS-317), so it is called
   * reflectively; this works on the class path, which is how the example runs.
   */
  AddOn webSocketAddOn() {
    try {
      Constructor<WebSocketAddOn> c =
          WebSocketAddOn.class.getDeclaredConstructor(ServerContainer.class, String.class);
      c.setAccessible(true);
      return c.newInstance(this, CONTEXT_PATH);
    } catch (ReflectiveOperationException | RuntimeException e) {
      throw new IllegalStateException(
          "cannot create Tyrus' WebSocketAddOn (Tyrus version changed?)", e);
    }
  }

  @Override
  public WebSocketEngine getWebSocketEngine() {
    return engine;
  }
}
