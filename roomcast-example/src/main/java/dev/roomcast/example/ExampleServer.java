package dev.roomcast.example;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.roomcast.Hub;
import dev.roomcast.InMemoryBackplane;
import dev.roomcast.grizzly.RoomcastServer;
import dev.roomcast.jakarta.RoomcastDeployment;
import dev.roomcast.jakarta.RoomcastEndpointConfig;
import dev.roomcast.spi.Backplane;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.glassfish.grizzly.http.server.Request;
import org.glassfish.grizzly.http.server.Response;

/**
 * The runnable example: roomcast-grizzly's {@link RoomcastServer} configured from a {@link
 * ServerConfig}, serving
 *
 * <ul>
 *   <li>what {@link RoomcastServer} serves: WebSocket {@code /{room}} and {@code /} (room {@code
 *       default}) in the seed's protocol, {@code GET /events/{room}} (SSE), {@code POST
 *       /rooms/{room}/messages}, {@code GET /rooms/{room}/presence}, {@code GET /health}, {@code
 *       GET /ready} and {@code GET /metrics} (JSON);
 *   <li>{@code GET /metrics/prometheus};
 *   <li>{@code GET /} the chat page, with {@code /chat.js}, {@code /chat.css} and its icon ({@code
 *       /favicon.svg}, also at {@code /favicon.ico});
 *   <li>{@code GET /roomcast.js} the browser client (an ES module from the {@code roomcast-js}
 *       WebJar, see {@code docs/clients.md}).
 * </ul>
 *
 * <p>Lifecycle: {@link #start} binds and returns a running server; {@link #shutdownGracefully()} is
 * what SIGTERM does (readiness off, joins refused, every connection closed with 1012 spread over
 * {@link ServerConfig#drainTime()}, then stop); {@link #stop()} stops at once (open connections get
 * 1001). Both are idempotent and thread-safe.
 */
public final class ExampleServer implements AutoCloseable {
  private final ServerConfig config;
  private final RoomcastServer server;
  private final PrometheusEndpoint prometheus;

  private ExampleServer(ServerConfig config, RoomcastServer server, PrometheusEndpoint prometheus) {
    this.config = config;
    this.server = server;
    this.prometheus = prometheus;
  }

  /**
   * Builds and starts a server.
   *
   * @throws ConfigException when the configuration asks for what this build cannot do
   * @throws IOException when the port cannot be bound
   */
  public static ExampleServer start(ServerConfig config) throws IOException {
    Backplane backplane = Backplanes.create(config);
    ExampleSecurity security = new ExampleSecurity(config.security());
    Hub.Builder hubBuilder =
        Hub.builder()
            .backplane(backplane)
            .limits(config.limits())
            .outboxLimits(config.outboxLimits())
            .notices(config.notices())
            .authenticator(security.authenticator())
            .authorizer(security.authorizer());
    config.session().applyTo(hubBuilder);
    if (!config.maxConnectionAge().isZero()) {
      hubBuilder.maxConnectionAge(config.maxConnectionAge(), config.maxConnectionAgeJitter());
    }
    Hub hub = hubBuilder.build();
    // The Prometheus meters need the deployment, which exists once the server is built; the
    // scrape route reads it through this reference (it is set before the port is bound).
    AtomicReference<PrometheusEndpoint> prometheus = new AtomicReference<>();
    RoomcastServer server;
    try {
      server =
          RoomcastServer.builder(hub)
              .host(config.bindAddress())
              .port(config.port())
              .endpoint(
                  RoomcastEndpointConfig.builder()
                      .pingInterval(config.pingInterval())
                      .pongTimeout(config.pongTimeout())
                      .allowedOrigins(security::originAllowed)
                      .refuseAtHandshake(security.refuseAtHandshake())
                      .build())
              .edge(config.edge())
              .inboundTotalBytes(config.memory().inboundTotalBytes())
              .sseHeartbeat(config.sseHeartbeat())
              .drainTime(config.drainTime())
              .startupDetails(config.summary())
              .metricsNeedAuthentication(security.hasTokens())
              .metricsExtras(counters -> historyBytes(backplane, counters))
              .metricsRoute(
                  "/metrics/prometheus", (req, res, p) -> prometheus.get().handle(req, res, p))
              .route("GET", "/", (req, res, p) -> StaticFiles.resource(res, "index.html"))
              .route("GET", "/index.html", (req, res, p) -> StaticFiles.resource(res, "index.html"))
              .route("GET", "/chat.js", (req, res, p) -> StaticFiles.resource(res, "chat.js"))
              .route("GET", "/chat.css", (req, res, p) -> StaticFiles.resource(res, "chat.css"))
              // the page links an inline icon; this answers clients that ask for /favicon.ico
              .route(
                  "GET", "/favicon.ico", (req, res, p) -> StaticFiles.resource(res, "favicon.svg"))
              .route(
                  "GET", "/favicon.svg", (req, res, p) -> StaticFiles.resource(res, "favicon.svg"))
              .route("GET", "/roomcast.js", ExampleServer::clientModule)
              .start(built -> prometheus.set(new PrometheusEndpoint(hub, built.deployment())));
    } catch (IOException | RuntimeException e) {
      hub.close();
      throw e;
    }
    return new ExampleServer(config, server, prometheus.get());
  }

  private static void historyBytes(Backplane backplane, ObjectNode counters) {
    if (backplane instanceof InMemoryBackplane memory) {
      counters.put("history_bytes", memory.historyBytes());
    }
  }

  /**
   * The browser client as an ES module. Any origin may load it: a module script is fetched with
   * CORS, and a page served from elsewhere (or a static file) imports it from here.
   */
  private static void clientModule(Request req, Response res, Map<String, String> params)
      throws IOException {
    res.setHeader("Access-Control-Allow-Origin", "*");
    StaticFiles.clientModule(res);
  }

  /** What {@code GET /metrics} answers (see {@link RoomcastServer#metricsJson()}). */
  ObjectNode metricsJson() {
    return server.metricsJson();
  }

  /** The bound port (the real one when the configuration said 0). */
  public int port() {
    return server.port();
  }

  /** The hub, for in-process tests and embedding. */
  public Hub hub() {
    return server.hub();
  }

  /** The endpoint deployment (open session count, send paths). */
  public RoomcastDeployment deployment() {
    return server.deployment();
  }

  public ServerConfig config() {
    return config;
  }

  /** Whether {@code /ready} answers 200. */
  public boolean isReady() {
    return server.isReady();
  }

  /** See {@link RoomcastServer#shutdownGracefully()}. */
  public void shutdownGracefully() {
    try {
      server.shutdownGracefully();
    } finally {
      prometheus.close();
    }
  }

  /** Stops at once: open connections are closed with 1001, the port is released. */
  public void stop() {
    try {
      server.stop();
    } finally {
      prometheus.close();
    }
  }

  @Override
  public void close() {
    stop();
  }
}
