package dev.roomcast.containers;

import dev.roomcast.Hub;
import dev.roomcast.jakarta.RoomcastDeployment;
import dev.roomcast.jakarta.RoomcastEndpointConfig;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;
import org.apache.catalina.Context;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.modeler.Registry;
import org.apache.tomcat.websocket.server.WsSci;

/**
 * Embedded Tomcat 11 with its WebSocket support ({@link WsSci}, as a web application gets it) and
 * roomcast deployed from a {@link RoomcastListener}, on 127.0.0.1 and a free port.
 */
final class TomcatHarness implements ContainerHarness {
  private final Tomcat tomcat;
  private final Path baseDir;
  private final RoomcastListener listener;
  private final Hub hub;

  private TomcatHarness(Hub hub, RoomcastEndpointConfig config, int sendBufferBytes)
      throws Exception {
    this.hub = hub;
    this.baseDir = Files.createTempDirectory("roomcast-tomcat");
    // several Tomcats run in one test JVM: do not register their MBeans (the names would clash)
    Registry.disableRegistry();
    this.tomcat = new Tomcat();
    tomcat.setBaseDir(baseDir.toString());
    Connector connector = new Connector(); // HTTP/1.1, NIO
    connector.setPort(0);
    connector.setProperty("address", "127.0.0.1");
    if (sendBufferBytes > 0) {
      connector.setProperty("socket.txBufSize", Integer.toString(sendBufferBytes));
    }
    tomcat.setConnector(connector);

    Context context = tomcat.addContext("", baseDir.toString());
    // WsSci puts the ServerContainer into the servlet context; the listener, registered as a web
    // application's @WebListener would be, deploys into it when the context starts.
    context.addServletContainerInitializer(new WsSci(), null);
    this.listener = new RoomcastListener(hub, config, Duration.ofMillis(100));
    context.addServletContainerInitializer(
        (classes, servletContext) -> servletContext.addListener(listener), null);
    // Tomcat runs filters (its WebSocket upgrade filter) only for requests mapped to a servlet.
    Tomcat.addServlet(context, "app", new PlainServlet());
    context.addServletMappingDecoded("/", "app");
    try {
      tomcat.start();
    } catch (LifecycleException e) {
      close();
      throw e;
    }
    if (listener.deployment() == null) {
      close();
      throw new IllegalStateException("the listener did not deploy roomcast");
    }
  }

  static TomcatHarness start(Hub hub, RoomcastEndpointConfig config) throws Exception {
    return new TomcatHarness(hub, config, 0);
  }

  /** With a small socket send buffer, so a peer that stops reading stalls writes at once. */
  static TomcatHarness start(Hub hub, RoomcastEndpointConfig config, int sendBufferBytes)
      throws Exception {
    return new TomcatHarness(hub, config, sendBufferBytes);
  }

  @Override
  public Hub hub() {
    return hub;
  }

  @Override
  public RoomcastDeployment deployment() {
    return listener.deployment();
  }

  @Override
  public int port() {
    return tomcat.getConnector().getLocalPort();
  }

  @Override
  public void close() {
    try {
      tomcat.stop(); // contextDestroyed: drain, close the hub and the deployment
      tomcat.destroy();
    } catch (LifecycleException e) {
      throw new IllegalStateException(e);
    } finally {
      hub.close();
      deleteTree(baseDir);
    }
  }

  private static void deleteTree(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The application's ordinary HTTP side. */
  private static final class PlainServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
      resp.setContentType("text/plain");
      resp.getWriter().write("plain HTTP");
    }
  }
}
