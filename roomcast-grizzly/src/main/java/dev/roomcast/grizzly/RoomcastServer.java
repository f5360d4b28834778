package dev.roomcast.grizzly;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.roomcast.Hub;
import dev.roomcast.MetricsSnapshot;
import dev.roomcast.grizzly.internal.ConnectionWriter;
import dev.roomcast.grizzly.internal.Edge;
import dev.roomcast.grizzly.internal.EdgeCounters;
import dev.roomcast.grizzly.internal.EmbeddedTyrusContainer;
import dev.roomcast.grizzly.internal.HttpPublishHandler;
import dev.roomcast.grizzly.internal.HttpRouter;
import dev.roomcast.grizzly.internal.MetricsAccess;
import dev.roomcast.grizzly.internal.PlainErrorPages;
import dev.roomcast.grizzly.internal.PresenceHandler;
import dev.roomcast.grizzly.internal.Responses;
import dev.roomcast.grizzly.internal.SseHandler;
import dev.roomcast.grizzly.internal.WebSocketUpgradeAddOn;
import dev.roomcast.jakarta.RoomcastDeployment;
import dev.roomcast.jakarta.RoomcastEndpointConfig;
import dev.roomcast.jakarta.RoomcastEndpoints;
import dev.roomcast.jakarta.sse.SseConfig;
import dev.roomcast.jakarta.sse.SseEndpoint;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.glassfish.grizzly.http.server.HttpServer;
import org.glassfish.grizzly.http.server.NetworkListener;
import org.glassfish.grizzly.http.server.Request;
import org.glassfish.grizzly.http.server.Response;
import org.glassfish.grizzly.ssl.SSLEngineConfigurator;

/**
 * roomcast on one Grizzly port: WebSocket rooms (Tyrus' engine behind roomcast's own Grizzly
 * bridge), Server-Sent Events, HTTP publish, presence, {@code /health}, {@code /ready} and {@code
 * /metrics}, all bounded per client by an {@link EdgeConfig}. An application starts it in a few
 * lines:
 *
 * <pre>{@code
 * Hub hub = Hub.builder().build();
 * RoomcastServer server = RoomcastServer.builder(hub).port(8080).start();
 * // ... on shutdown:
 * server.shutdownGracefully();
 * }</pre>
 *
 * <p>Served paths (each may be moved or turned off on the {@link Builder}): WebSocket {@code
 * /{room}} (the endpoint's {@link RoomcastEndpointConfig#path()}), {@code GET /events/{room}}
 * (SSE), {@code POST /rooms/{room}/messages}, {@code GET /rooms/{room}/presence}, {@code GET
 * /health}, {@code GET /ready}, {@code GET /metrics}; plus the application's own {@link
 * Builder#route(String, String, RouteHandler) routes}. To serve from an existing Grizzly {@code
 * HttpServer} instead, see {@link Builder#startOn(HttpServer, NetworkListener)}.
 *
 * <p>WebSocket frames a broadcast sends go from the hub's outbox straight to this server's own
 * connection writer, framed once per broadcast, with no reflection and no per-recipient encoding.
 *
 * <p>Lifecycle: {@link Builder#start()} binds and returns a running server; {@link
 * #shutdownGracefully()} is what a SIGTERM handler should call (readiness off, joins refused, every
 * connection closed with 1012 spread over the drain time, then stop); {@link #stop()} stops at once
 * (open connections get 1001). Both are idempotent and thread-safe; both close the hub, neither
 * closes the hub's backplane: the application owns it.
 */
public final class RoomcastServer implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(RoomcastServer.class.getName());
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String LISTENER = "roomcast";

  private final Hub hub;
  // copied from the builder: it stays mutable (and the caller's) after start
  private final boolean metricsRoomNames;
  private final Duration drainTime;
  private final Consumer<ObjectNode> metricsExtras;
  private final EmbeddedTyrusContainer container;
  private final RoomcastDeployment deployment;
  private final SseEndpoint sse;
  private final Edge edge;
  private final MetricsAccess metricsAccess;
  private final HttpServer http;
  private final boolean ownsHttp;
  private final NetworkListener listener;
  private final Object lifecycle = new Object();
  private volatile boolean started;
  private volatile boolean draining;
  private boolean stopped;

  private RoomcastServer(Builder b, HttpServer existing, NetworkListener existingListener)
      throws IOException {
    this.hub = b.hub;
    this.metricsRoomNames = b.edge.metricsRoomNames();
    this.drainTime = b.drainTime;
    this.metricsExtras = b.metricsExtras;
    int maxMessageBytes = hub.limits().maxMessageBytes();
    this.sse = SseEndpoint.create(hub, SseConfig.builder().heartbeat(b.sseHeartbeat).build());
    this.edge = new Edge(b.edge, b.inboundTotalBytes, hub.limits().maxContentBytes());
    this.container = new EmbeddedTyrusContainer(4 * maxMessageBytes + 4096);
    try {
      this.deployment =
          RoomcastEndpoints.deploy(
              container, hub, b.endpoint.toBuilder().rawFrameSinks(ConnectionWriter.SINKS).build());
      container.start(EmbeddedTyrusContainer.CONTEXT_PATH, b.port);
      container.doneDeployment();
    } catch (jakarta.websocket.DeploymentException e) {
      sse.close();
      edge.close();
      throw new IOException("WebSocket endpoint deployment failed", e);
    }
    this.metricsAccess = new MetricsAccess(b.edge, hub, b.metricsNeedAuthentication);

    this.ownsHttp = existing == null;
    this.http = ownsHttp ? new HttpServer() : existing;
    this.listener =
        existingListener != null ? existingListener : new NetworkListener(LISTENER, b.host, b.port);
    listener.registerAddOn(
        new WebSocketUpgradeAddOn(container.getWebSocketEngine(), maxMessageBytes, edge));
    // canWrite() (SSE, plain responses) answers false past this: a peer that does not read
    listener
        .getTransport()
        .getAsyncQueueIO()
        .getWriter()
        .setMaxPendingBytesPerConnection((int) Math.min(Integer.MAX_VALUE, edge.writeQueueBytes));
    listener.setDefaultErrorPageGenerator(new PlainErrorPages());
    if (b.ssl != null) {
      listener.setSecure(true);
      listener.setSSLEngineConfig(b.ssl);
    }
    if (ownsHttp) {
      http.addListener(listener);
      http.getServerConfiguration().setName("roomcast");
      http.getServerConfiguration().setJmxEnabled(false);
      http.getServerConfiguration().setDefaultErrorPageGenerator(new PlainErrorPages());
    }
    http.getServerConfiguration().addHttpHandler(routes(b), b.mountPath);
  }

  /**
   * The default of {@link Builder#inboundTotalBytes}: a sixteenth of the JVM's maximum heap, at
   * least 4 MiB.
   */
  public static long defaultInboundTotalBytes() {
    return Math.max(4L << 20, Runtime.getRuntime().maxMemory() / 16);
  }

  /**
   * A builder for a server in front of {@code hub}. The hub's {@link Hub#limits() limits} decide
   * the largest WebSocket message and content. {@link #stop()} closes the hub (which detaches from
   * its backplane); the backplane stays the caller's to close.
   */
  public static Builder builder(Hub hub) {
    return new Builder(hub);
  }

  private HttpRouter routes(Builder b) {
    HttpRouter router = new HttpRouter();
    if (b.healthPath != null) {
      router.get(b.healthPath, (req, res, p) -> Responses.text(res, 200, "OK"));
    }
    if (b.readyPath != null) {
      router.get(b.readyPath, this::ready);
    }
    if (b.metricsPath != null) {
      router.get(b.metricsPath, metricsAccess.guard(this::metrics));
    }
    if (b.ssePath != null) {
      router.get(b.ssePath, new SseHandler(sse)::handle);
    }
    if (b.publishPath != null) {
      router.post(b.publishPath, new HttpPublishHandler(hub, () -> draining, edge)::handle);
    }
    if (b.presencePath != null) {
      router.get(b.presencePath, new PresenceHandler(hub)::handle);
    }
    for (Route r : b.routes) {
      router.route(r.method, r.path, r.guarded ? metricsAccess.guard(r.handler) : r.handler);
    }
    return router;
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
   * What {@code GET /metrics} answers: the seed's shape ({@code total_connections}, and {@code
   * rooms} when room names are shown) plus {@code room_count}, roomcast's counters under {@code
   * roomcast}, what the edge refused under {@code edge}, and the server's state. Every key is
   * written here by name: renaming a Java field must not rename a public one.
   */
  public ObjectNode metricsJson() {
    ObjectNode root = JSON.createObjectNode();
    MetricsSnapshot m = hub.metrics();
    root.put("total_connections", m.connections());
    root.put("room_count", m.rooms());
    if (metricsRoomNames) {
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
    counters.put("websocket_send_text_sessions", deployment.sendTextSessions());
    counters.put("sse_streams", sse.openStreams());
    metricsExtras.accept(counters);
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
    root.put("ready", isReady());
    root.put("draining", draining);
    return root;
  }

  /** The bound port (the real one when the builder said 0). */
  public int port() {
    return listener.getPort();
  }

  /** The hub this server serves. */
  public Hub hub() {
    return hub;
  }

  /** The WebSocket endpoint deployment: open sessions, and which send path they took. */
  public RoomcastDeployment deployment() {
    return deployment;
  }

  /** Open Server-Sent Events streams. */
  public int openStreams() {
    return sse.openStreams();
  }

  /** Whether {@code /ready} answers 200. */
  public boolean isReady() {
    return started && !draining && hub.isReady();
  }

  /** Whether {@link #shutdownGracefully()} or {@link #stop()} has begun. */
  public boolean isDraining() {
    return draining;
  }

  /**
   * Readiness off, new WebSocket joins refused with 1012, every open connection closed with 1012
   * spread over the drain time, then {@link #stop()}. Returns within about the drain time plus 2 s.
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
    Duration spread = drainTime;
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

  /**
   * Stops at once: open connections are closed with 1001 and the hub is closed; the port is
   * released when this server made the Grizzly server (not after {@link Builder#startOn}).
   */
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
        if (ownsHttp) {
          http.shutdownNow();
        }
        edge.close();
      }
    }
    LOG.info("roomcast stopped");
  }

  @Override
  public void close() {
    stop();
  }

  private record Route(String method, String path, RouteHandler handler, boolean guarded) {}

  /**
   * Settings of a {@link RoomcastServer}; every one has a default. Not thread-safe; {@link
   * #start()} may be called once.
   */
  public static final class Builder {
    private final Hub hub;
    private String host = "0.0.0.0";
    private int port = 8080;
    private RoomcastEndpointConfig endpoint = RoomcastEndpointConfig.defaults();
    private EdgeConfig edge = EdgeConfig.defaults();
    private long inboundTotalBytes = defaultInboundTotalBytes();
    private Duration sseHeartbeat = SseConfig.defaults().heartbeat();
    private Duration drainTime = Duration.ofSeconds(5);
    private boolean metricsNeedAuthentication;
    private SSLEngineConfigurator ssl;
    private String mountPath = "/";
    private String healthPath = "/health";
    private String readyPath = "/ready";
    private String metricsPath = "/metrics";
    private String ssePath = "/events/{room}";
    private String publishPath = "/rooms/{room}/messages";
    private String presencePath = "/rooms/{room}/presence";
    private Consumer<ObjectNode> metricsExtras = counters -> {};
    private final List<Route> routes = new ArrayList<>();
    private String startupDetails = "";
    private boolean built;

    private Builder(Hub hub) {
      this.hub = Objects.requireNonNull(hub, "hub");
    }

    /** The address to bind, default {@code 0.0.0.0} (every interface). */
    public Builder host(String host) {
      this.host = Objects.requireNonNull(host, "host");
      return this;
    }

    /** The port, default 8080; 0 picks a free one ({@link RoomcastServer#port()} tells which). */
    public Builder port(int port) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port must be between 0 and 65535, was " + port);
      }
      this.port = port;
      return this;
    }

    /**
     * The WebSocket endpoint's settings (path, keepalive, allowed origins), default {@link
     * RoomcastEndpointConfig#defaults()}. Its raw frame sinks are this server's own.
     */
    public Builder endpoint(RoomcastEndpointConfig endpoint) {
      this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
      return this;
    }

    /** What one client may make the server hold, default {@link EdgeConfig#defaults()}. */
    public Builder edge(EdgeConfig edge) {
      this.edge = Objects.requireNonNull(edge, "edge");
      return this;
    }

    /**
     * WebSocket messages and HTTP bodies received but not yet complete, for all connections
     * together; past it the connection adding to it is closed with 1013 / answered 503. Default a
     * sixteenth of the heap, at least 4 MiB.
     */
    public Builder inboundTotalBytes(long bytes) {
      if (bytes < 65_536) {
        throw new IllegalArgumentException(
            "inboundTotalBytes must be at least 65536, was " + bytes);
      }
      this.inboundTotalBytes = bytes;
      return this;
    }

    /** How often an idle SSE stream gets a comment line; {@link Duration#ZERO} for never. */
    public Builder sseHeartbeat(Duration heartbeat) {
      this.sseHeartbeat = Objects.requireNonNull(heartbeat, "sseHeartbeat");
      return this;
    }

    /**
     * What {@link RoomcastServer#shutdownGracefully()} spreads the 1012 closes over, default 5 s.
     */
    public Builder drainTime(Duration drainTime) {
      if (drainTime.isNegative()) {
        throw new IllegalArgumentException("drainTime must not be negative, was " + drainTime);
      }
      this.drainTime = drainTime;
      return this;
    }

    /**
     * Whether {@code /metrics} (and guarded routes) need a request the hub's authenticator accepts
     * when no {@link EdgeConfig#metricsToken()} is set. Default false: open, as on the seed server.
     */
    public Builder metricsNeedAuthentication(boolean required) {
      this.metricsNeedAuthentication = required;
      return this;
    }

    /**
     * Serves HTTPS and {@code wss://} with Grizzly's SSL settings (for example {@code new
     * SSLEngineConfigurator(sslContext, false, false, false)}); default plain HTTP.
     */
    public Builder ssl(SSLEngineConfigurator ssl) {
      this.ssl = ssl;
      return this;
    }

    /** Where the health check answers, default {@code /health}; {@code null} turns it off. */
    public Builder healthPath(String path) {
      this.healthPath = path;
      return this;
    }

    /** Where readiness answers, default {@code /ready}; {@code null} turns it off. */
    public Builder readyPath(String path) {
      this.readyPath = path;
      return this;
    }

    /** Where the JSON metrics answer, default {@code /metrics}; {@code null} turns them off. */
    public Builder metricsPath(String path) {
      this.metricsPath = path;
      return this;
    }

    /** The SSE template, default {@code /events/{room}}; {@code null} turns SSE off. */
    public Builder ssePath(String template) {
      this.ssePath = template;
      return this;
    }

    /**
     * The HTTP publish template, default {@code /rooms/{room}/messages}; {@code null} turns it off.
     */
    public Builder publishPath(String template) {
      this.publishPath = template;
      return this;
    }

    /** The presence template, default {@code /rooms/{room}/presence}; {@code null} turns it off. */
    public Builder presencePath(String template) {
      this.presencePath = template;
      return this;
    }

    /**
     * Adds an HTTP route of the application's ({@code GET} also answers {@code HEAD}); checked
     * after roomcast's own. Templates are {@code /}-separated literals and {@code {name}} segments.
     */
    public Builder route(String method, String template, RouteHandler handler) {
      routes.add(
          new Route(
              Objects.requireNonNull(method, "method"),
              Objects.requireNonNull(template, "template"),
              Objects.requireNonNull(handler, "handler"),
              false));
      return this;
    }

    /**
     * Adds a {@code GET} route that only callers allowed to read {@code /metrics} may read (for
     * example a Prometheus scrape endpoint).
     */
    public Builder metricsRoute(String template, RouteHandler handler) {
      routes.add(
          new Route(
              "GET",
              Objects.requireNonNull(template, "template"),
              Objects.requireNonNull(handler, "handler"),
              true));
      return this;
    }

    /**
     * Adds fields of the application's to {@code /metrics}' {@code roomcast} object; called on the
     * requesting thread for every request.
     */
    public Builder metricsExtras(Consumer<ObjectNode> extras) {
      this.metricsExtras = Objects.requireNonNull(extras, "metricsExtras");
      return this;
    }

    /**
     * Text appended to the one {@code roomcast listening on ...} log line {@link #start()} writes
     * (the application's settings, say), so one line tells what started. Never put secrets here.
     */
    public Builder startupDetails(String details) {
      this.startupDetails = Objects.requireNonNull(details, "startupDetails");
      return this;
    }

    /**
     * Builds the server on its own Grizzly {@code HttpServer}, binds and starts it.
     *
     * @throws IOException when the port cannot be bound
     */
    public RoomcastServer start() throws IOException {
      return start(server -> {});
    }

    /**
     * Like {@link #start()}, running {@code beforeListening} on the built server before the port is
     * bound: the place to bind meters to {@link RoomcastServer#deployment()} before any traffic.
     *
     * @throws IOException when the port cannot be bound
     */
    public RoomcastServer start(Consumer<? super RoomcastServer> beforeListening)
        throws IOException {
      RoomcastServer server = build(null, null);
      try {
        beforeListening.accept(server);
        server.http.start();
      } catch (IOException | RuntimeException e) {
        server.stop();
        throw e;
      }
      server.started = true;
      LOG.info(
          () ->
              "roomcast listening on "
                  + host
                  + ":"
                  + server.port()
                  + ", backplane "
                  + hub.backplaneName()
                  + (startupDetails.isEmpty() ? "" : ", " + startupDetails));
      return server;
    }

    /**
     * Adds roomcast to an application's own Grizzly server, which must not have been started yet:
     * {@code listener} (one of {@code server}'s) gets roomcast's bridge and edge, and its HTTP
     * handler goes on {@code /} of {@code server}'s configuration, so the application's handlers on
     * more specific paths keep theirs. The caller starts and shuts down {@code server}; call {@link
     * RoomcastServer#markStarted()} once it runs, and {@link RoomcastServer#stop()} before its
     * shutdown. {@link #host} and {@link #port} are not used: the listener has its own.
     */
    public RoomcastServer startOn(HttpServer server, NetworkListener listener) throws IOException {
      Objects.requireNonNull(server, "server");
      Objects.requireNonNull(listener, "listener");
      if (server.isStarted()) {
        throw new IllegalStateException("add roomcast before the Grizzly server starts");
      }
      return build(server, listener);
    }

    private RoomcastServer build(HttpServer existing, NetworkListener existingListener)
        throws IOException {
      if (built) {
        throw new IllegalStateException("this builder already made a server");
      }
      built = true;
      return new RoomcastServer(this, existing, existingListener);
    }
  }

  /**
   * After {@link Builder#startOn}: tells this server that the application's Grizzly server has
   * started, so {@code /ready} can answer 200.
   */
  public void markStarted() {
    started = true;
  }
}
