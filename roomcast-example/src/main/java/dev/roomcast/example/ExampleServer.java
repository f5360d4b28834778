package dev.roomcast.example;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.roomcast.Hub;
import dev.roomcast.InMemoryBackplane;
import dev.roomcast.MetricsSnapshot;
import dev.roomcast.jakarta.RoomcastDeployment;
import dev.roomcast.jakarta.RoomcastEndpointConfig;
import dev.roomcast.jakarta.RoomcastEndpoints;
import dev.roomcast.jakarta.sse.SseConfig;
import dev.roomcast.jakarta.sse.SseEndpoint;
import dev.roomcast.spi.Backplane;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.glassfish.grizzly.http.server.HttpServer;
import org.glassfish.grizzly.http.server.NetworkListener;
import org.glassfish.grizzly.http.server.Request;
import org.glassfish.grizzly.http.server.Response;

/**
 * The runnable example: Tyrus on Grizzly on one port, serving
 *
 * <ul>
 *   <li>WebSocket {@code /{room}} and {@code /} (room {@code default}), the seed's protocol;
 *   <li>{@code GET /health} (liveness), {@code GET /ready} (readiness), {@code GET /metrics} (JSON)
 *       and {@code GET /metrics/prometheus};
 *   <li>{@code GET /} the chat page, with {@code /chat.js}, {@code /chat.css} and its icon ({@code
 *       /favicon.svg}, also at {@code /favicon.ico});
 *   <li>{@code GET /events/{room}} Server-Sent Events ({@link SseHandler});
 *   <li>{@code POST /rooms/{room}/messages} publishing over HTTP ({@link HttpPublishHandler});
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
  private static final Logger LOG = Logger.getLogger(ExampleServer.class.getName());
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String LISTENER = "roomcast";

  private final ServerConfig config;
  private final Hub hub;
  private final Backplane backplane;
  private final EmbeddedTyrusContainer container;
  private final RoomcastDeployment deployment;
  private final SseEndpoint sse;
  private final PrometheusEndpoint prometheus;
  private final Edge edge;
  private final MetricsAccess metricsAccess;
  private final HttpServer http;
  private final Object lifecycle = new Object();
  private volatile boolean started;
  private volatile boolean draining;
  private boolean stopped;

  private ExampleServer(ServerConfig config) throws IOException {
    this.config = config;
    this.backplane = Backplanes.create(config);
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
    this.hub = hubBuilder.build();
    this.sse =
        SseEndpoint.create(hub, SseConfig.builder().heartbeat(config.sseHeartbeat()).build());
    this.container = new EmbeddedTyrusContainer(4 * config.maxMessageBytes() + 4096);
    try {
      this.deployment =
          RoomcastEndpoints.deploy(
              container,
              hub,
              RoomcastEndpointConfig.builder()
                  .pingInterval(config.pingInterval())
                  .pongTimeout(config.pongTimeout())
                  .allowedOrigins(security::originAllowed)
                  .refuseAtHandshake(security.refuseAtHandshake())
                  .build());
      container.start(EmbeddedTyrusContainer.CONTEXT_PATH, config.port());
      container.doneDeployment();
    } catch (jakarta.websocket.DeploymentException e) {
      hub.close();
      sse.close();
      throw new IOException("WebSocket endpoint deployment failed", e);
    }
    this.prometheus = new PrometheusEndpoint(hub, deployment);
    this.edge =
        new Edge(config.edge(), config.memory().inboundTotalBytes(), config.maxContentBytes());
    this.metricsAccess = new MetricsAccess(config.edge(), hub, security.hasTokens());

    this.http = new HttpServer();
    NetworkListener listener = new NetworkListener(LISTENER, config.bindAddress(), config.port());
    listener.registerAddOn(
        new WebSocketUpgradeAddOn(container.getWebSocketEngine(), config.maxMessageBytes(), edge));
    // canWrite() (SSE, plain responses) answers false past this: a peer that does not read
    listener
        .getTransport()
        .getAsyncQueueIO()
        .getWriter()
        .setMaxPendingBytesPerConnection((int) Math.min(Integer.MAX_VALUE, edge.writeQueueBytes));
    listener.setDefaultErrorPageGenerator(new PlainErrorPages());
    http.addListener(listener);
    http.getServerConfiguration().setName("roomcast");
    http.getServerConfiguration().setJmxEnabled(false);
    http.getServerConfiguration().setDefaultErrorPageGenerator(new PlainErrorPages());
    http.getServerConfiguration().addHttpHandler(routes(), "/");
  }

  /**
   * Builds and starts a server.
   *
   * @throws ConfigException when the configuration asks for what this build cannot do
   * @throws IOException when the port cannot be bound
   */
  public static ExampleServer start(ServerConfig config) throws IOException {
    ExampleServer server = new ExampleServer(config);
    try {
      server.http.start();
    } catch (IOException | RuntimeException e) {
      server.stop();
      throw e;
    }
    server.started = true;
    LOG.info(
        () ->
            "roomcast listening on "
                + config.bindAddress()
                + ":"
                + server.port()
                + ", backplane "
                + server.hub.backplaneName()
                + ", "
                + config.summary());
    return server;
  }

  /**
   * The HTTP routes. SSE ({@code GET /events/{room}}) and HTTP publish ({@code POST
   * /rooms/{room}/messages}) go here too.
   */
  private HttpRouter routes() {
    return new HttpRouter()
        .get("/health", (req, res, p) -> Responses.text(res, 200, "OK"))
        .get("/ready", this::ready)
        .get("/metrics", metricsAccess.guard(this::metrics))
        .get("/metrics/prometheus", metricsAccess.guard(prometheus::handle))
        .get("/", (req, res, p) -> Responses.resource(res, "index.html"))
        .get("/index.html", (req, res, p) -> Responses.resource(res, "index.html"))
        .get("/chat.js", (req, res, p) -> Responses.resource(res, "chat.js"))
        .get("/chat.css", (req, res, p) -> Responses.resource(res, "chat.css"))
        // the page links an inline icon; this answers clients that ask for /favicon.ico anyway
        .get("/favicon.ico", (req, res, p) -> Responses.resource(res, "favicon.svg"))
        .get("/favicon.svg", (req, res, p) -> Responses.resource(res, "favicon.svg"))
        .get("/events/{room}", new SseHandler(sse)::handle)
        .post("/rooms/{room}/messages", new HttpPublishHandler(hub, () -> draining, edge)::handle)
        .get("/rooms/{room}/presence", new PresenceHandler(hub)::handle)
        .get("/roomcast.js", ExampleServer::clientModule);
  }

  /**
   * The browser client as an ES module. Any origin may load it: a module script is fetched with
   * CORS, and a page served from elsewhere (or a static file) imports it from here.
   */
  private static void clientModule(Request req, Response res, Map<String, String> params)
      throws IOException {
    res.setHeader("Access-Control-Allow-Origin", "*");
    Responses.clientModule(res);
  }

  private void ready(Request req, Response res, Map<String, String> params) throws IOException {
    if (!started) {
      Responses.text(res, 503, "starting");
    } else if (draining) {
      Responses.text(res, 503, "draining");
    } else if (!hub.isBackplaneUp()) {
      Responses.text(res, 503, "backplane " + hub.backplaneName() + " unreachable");
    } else if (!hub.isReady()) {
      Responses.text(res, 503, "not ready");
    } else {
      Responses.text(res, 200, "READY");
    }
  }

  private void metrics(Request req, Response res, Map<String, String> params) throws IOException {
    Responses.json(res, 200, JSON.writeValueAsString(metricsJson()));
  }

  /**
   * The seed's {@code /metrics} shape ({@code total_connections}, and {@code rooms} when room names
   * are shown) plus {@code room_count}, roomcast's counters under {@code roomcast}, what the edge
   * refused under {@code edge}, and the server's state. Every key is written here by name: renaming
   * a Java field must not rename a public one.
   */
  ObjectNode metricsJson() {
    ObjectNode root = JSON.createObjectNode();
    MetricsSnapshot m = hub.metrics();
    root.put("total_connections", m.connections());
    root.put("room_count", m.rooms());
    if (config.edge().metricsRoomNames()) {
      ObjectNode rooms = root.putObject("rooms");
      hub.roomSizes().forEach(rooms::put);
    }
    ObjectNode counters = root.putObject("roomcast");
    counters.put("connections", m.connections());
    counters.put("rooms", m.rooms());
    counters.put("connections_opened", m.connectionsOpened());
    counters.put("connections_closed", m.connectionsClosed());
    counters.put("connections_rejected", m.connectionsRejected());
    counters.put("messages_in", m.messagesIn());
    counters.put("messages_out", m.messagesOut());
    counters.put("bytes_in", m.bytesIn());
    counters.put("bytes_out", m.bytesOut());
    counters.put("slow_consumers_closed", m.slowConsumersClosed());
    counters.put("budget_closed", m.budgetClosed());
    counters.put("queued_bytes", m.queuedBytes());
    counters.put("errors", m.errors());
    counters.put("publish_failures", m.publishFailures());
    counters.put("backplane_outages", m.backplaneOutages());
    counters.put("backplane_up", m.backplaneUp());
    counters.put("resumes_recovered", m.resumesRecovered());
    counters.put("resumes_not_recovered", m.resumesNotRecovered());
    counters.put("gaps_skipped", m.gapsSkipped());
    counters.put("delivery_latency_count", m.deliveryLatencyCount());
    counters.put("delivery_latency_total_millis", m.deliveryLatencyTotalMillis());
    counters.put("messages_delayed", m.messagesDelayed());
    counters.put("rate_closed", m.rateClosed());
    counters.put("handler_rejected", m.handlerRejected());
    counters.put("handler_failures", m.handlerFailures());
    counters.put("websocket_sessions", deployment.openSessions());
    counters.put("sse_streams", sse.openStreams());
    if (backplane instanceof InMemoryBackplane memory) {
      counters.put("history_bytes", memory.historyBytes());
    }
    ObjectNode e = root.putObject("edge");
    EdgeCounters c = edge.counters;
    e.put("pending_connections", edge.pending.total());
    e.put("client_connections", edge.clients.total());
    e.put("client_addresses", edge.clients.addresses());
    e.put("inbound_bytes", edge.inbound.held());
    e.put("connections_refused", c.connectionsRefused.sum());
    e.put("address_limited", c.addressLimited.sum());
    e.put("requests_refused", c.requestsRefused.sum());
    e.put("body_timeouts", c.bodyTimeouts.sum());
    e.put("publish_rate_limited", c.publishRateLimited.sum());
    e.put("protocol_errors", c.protocolErrors.sum());
    e.put("message_timeouts", c.messageTimeouts.sum());
    e.put("inbound_budget_refused", c.inboundBudgetRefused.sum());
    e.put("write_queue_overflows", c.writeQueueOverflows.sum());
    e.put("unread_responses", c.unreadResponses.sum());
    root.put("backplane", hub.backplaneName());
    root.put("node_id", hub.nodeId());
    root.put("ready", started && !draining && hub.isReady());
    root.put("draining", draining);
    return root;
  }

  /** The bound port (the real one when the configuration said 0). */
  public int port() {
    return http.getListener(LISTENER).getPort();
  }

  /** The hub, for in-process tests and embedding. */
  public Hub hub() {
    return hub;
  }

  /** The endpoint deployment (open session count). */
  public RoomcastDeployment deployment() {
    return deployment;
  }

  public ServerConfig config() {
    return config;
  }

  /** Whether {@code /ready} answers 200. */
  public boolean isReady() {
    return started && !draining && hub.isReady();
  }

  /**
   * What SIGTERM does: {@code /ready} turns 503, new WebSocket joins are refused with 1012, every
   * open connection is closed with 1012 spread over the drain time, then the server stops. Returns
   * within about the drain time plus 2 s.
   */
  public void shutdownGracefully() {
    synchronized (lifecycle) {
      if (stopped || draining) {
        return;
      }
      draining = true;
    }
    long t0 = System.nanoTime();
    int open = deployment.openSessions();
    Duration spread = config.drainTime();
    LOG.info(() -> "draining " + open + " connections over " + spread.toMillis() + " ms");
    try {
      hub.drain(spread).get(spread.toMillis() + 1000, TimeUnit.MILLISECONDS);
      // the 1012 close frames are written asynchronously: give them a moment to leave
      deployment.awaitSessionsClosed(Duration.ofSeconds(1));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (TimeoutException e) {
      LOG.warning("drain did not finish in time; closing the rest");
    } catch (Exception e) {
      LOG.log(Level.WARNING, "drain failed; closing the rest", e);
    }
    long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    LOG.info(
        () ->
            "drained in "
                + ms
                + " ms; "
                + deployment.openSessions()
                + " sessions still open; stopping");
    stop();
  }

  /** Stops at once: open connections are closed with 1001, the port is released. */
  public void stop() {
    synchronized (lifecycle) {
      if (stopped) {
        return;
      }
      stopped = true;
      draining = true;
    }
    try {
      hub.close();
    } finally {
      sse.close();
      try {
        container.stop();
      } finally {
        deployment.close();
        prometheus.close();
        http.shutdownNow();
        edge.close();
      }
    }
    LOG.info("roomcast stopped");
  }

  @Override
  public void close() {
    stop();
  }
}
