package dev.roomcast.jakarta.client;

import static org.assertj.core.api.Assertions.fail;

import jakarta.websocket.CloseReason;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.MessageHandler;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerEndpointConfig;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.glassfish.tyrus.container.grizzly.server.GrizzlyServerContainer;
import org.glassfish.tyrus.server.TyrusServerContainer;
import org.glassfish.tyrus.spi.ServerContainer;

/**
 * A fake roomcast server on a real Tyrus socket whose behaviour each test scripts per room: the
 * script gets every new connection and says what the server sends and when it closes. Lets the
 * client tests produce exactly the frames and close codes they need (duplicates, gaps, terminal
 * codes) without a hub.
 */
final class ScriptedServer implements AutoCloseable {
  static final Duration WAIT = Duration.ofSeconds(10);

  /** One server-side connection. */
  static final class Conn {
    final Session session;
    final String room;
    final Map<String, List<String>> query;
    final BlockingQueue<String> received = new LinkedBlockingQueue<>();
    final CompletableFuture<CloseReason> closed = new CompletableFuture<>();

    Conn(Session session) {
      this.session = session;
      this.room = session.getPathParameters().get("room");
      this.query = session.getRequestParameterMap();
    }

    /** The query parameter's single value, or null. */
    String param(String name) {
      List<String> v = query.get(name);
      return v == null || v.isEmpty() ? null : v.get(0);
    }

    void send(String frame) {
      try {
        session.getBasicRemote().sendText(frame);
      } catch (IOException e) {
        throw new AssertionError("send failed", e);
      }
    }

    void close(int code, String reason) {
      try {
        session.close(new CloseReason(CloseReason.CloseCodes.getCloseCode(code), reason));
      } catch (IOException e) {
        throw new AssertionError("close failed", e);
      }
    }

    /** The next frame the client sent; fails after {@link #WAIT}. */
    String next() throws InterruptedException {
      String s = received.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
      if (s == null) {
        fail("no frame from the client within " + WAIT);
      }
      return s;
    }

    int closeCode() throws Exception {
      return closed.get(WAIT.toMillis(), TimeUnit.MILLISECONDS).getCloseCode().getCode();
    }
  }

  private final Map<String, Consumer<Conn>> scripts = new ConcurrentHashMap<>();
  private final Map<String, BlockingQueue<Conn>> connections = new ConcurrentHashMap<>();
  private final ServerContainer container;
  final int port;

  private ScriptedServer() throws Exception {
    container = new GrizzlyServerContainer().createContainer(Map.of());
    container.addEndpoint(
        ServerEndpointConfig.Builder.create(Script.class, "/{room}")
            .configurator(
                new ServerEndpointConfig.Configurator() {
                  @Override
                  public <T> T getEndpointInstance(Class<T> endpointClass) {
                    return endpointClass.cast(new Script(ScriptedServer.this));
                  }
                })
            .build());
    container.start("/", 0);
    port = ((TyrusServerContainer) container).getPort();
  }

  static ScriptedServer start() throws Exception {
    return new ScriptedServer();
  }

  URI base() {
    return URI.create("ws://127.0.0.1:" + port);
  }

  /** What the server does with each new connection to {@code room} (default: nothing). */
  void script(String room, Consumer<Conn> onOpen) {
    scripts.put(room, onOpen);
  }

  /** The next connection to {@code room}, in the order they opened; fails after {@link #WAIT}. */
  Conn nextConnection(String room) throws InterruptedException {
    Conn c = queue(room).poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    if (c == null) {
      fail("no connection to " + room + " within " + WAIT);
    }
    return c;
  }

  /** Connections to {@code room} opened but not yet taken by {@link #nextConnection}. */
  int pendingConnections(String room) {
    return queue(room).size();
  }

  private BlockingQueue<Conn> queue(String room) {
    return connections.computeIfAbsent(room, r -> new LinkedBlockingQueue<>());
  }

  @Override
  public void close() {
    container.stop();
  }

  static String welcome(String clientId, String epoch, long offset, Boolean recovered) {
    return "{\"type\":\"system\",\"message\":\"Welcome\",\"client_id\":\""
        + clientId
        + "\",\"room\":\"r\",\"epoch\":\""
        + epoch
        + "\",\"offset\":"
        + offset
        + (recovered == null ? "" : ",\"recovered\":" + recovered)
        + "}";
  }

  static String message(String epoch, long offset, String contentJson) {
    return "{\"type\":\"message\",\"client_id\":\"server\",\"content\":"
        + contentJson
        + ",\"timestamp\":\"2026-01-01T00:00:00Z\",\"room\":\"r\",\"offset\":"
        + offset
        + ",\"epoch\":\""
        + epoch
        + "\"}";
  }

  /** The endpoint: records the connection, feeds the client's frames to it, runs the script. */
  public static final class Script extends Endpoint {
    private final ScriptedServer server;
    private Conn conn;

    Script(ScriptedServer server) {
      this.server = server;
    }

    @Override
    public void onOpen(Session session, EndpointConfig config) {
      conn = new Conn(session);
      Conn c = conn;
      session.addMessageHandler(String.class, (MessageHandler.Whole<String>) c.received::add);
      server.queue(c.room).add(c);
      server.scripts.getOrDefault(c.room, x -> {}).accept(c);
    }

    @Override
    public void onClose(Session session, CloseReason closeReason) {
      conn.closed.complete(closeReason);
    }
  }
}
