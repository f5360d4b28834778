package dev.roomcast.cdi.internal;

import dev.roomcast.Authenticator;
import dev.roomcast.Hub;
import dev.roomcast.MessageHandler;
import dev.roomcast.RoomAuthorizer;
import dev.roomcast.cdi.HubCustomizer;
import dev.roomcast.cdi.PrincipalAuthenticator;
import dev.roomcast.jakarta.RoomcastDeployment;
import dev.roomcast.jakarta.RoomcastEndpoints;
import dev.roomcast.jakarta.sse.SseEndpoint;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import jakarta.websocket.DeploymentException;
import jakarta.websocket.server.ServerContainer;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.Config;

/**
 * The application's one roomcast: the {@link Hub} built from {@link Settings} and the application's
 * beans, the SSE endpoint, the WebSocket deployment, and the shutdown that drains them. Owned by
 * CDI's application context.
 *
 * <p>The hub is handed out by a {@code @Dependent} producer rather than being an
 * {@code @ApplicationScoped} bean itself: {@code Hub} is a final class, which CDI cannot proxy, so
 * this bean (which can) carries the application scope and every injection point gets the same
 * instance.
 *
 * <p>Thread-safe: built once in {@link #start()}; {@link #deploy} and {@link #stop} are
 * synchronized and idempotent, so whichever shutdown signal arrives first (the servlet context
 * going away, the application context's destruction) drains, and the others find it done.
 */
@ApplicationScoped
public class RoomcastRuntime {
  private static final Logger LOG = Logger.getLogger("dev.roomcast.cdi");

  /** How long the close frames of a finished drain get to reach the clients. */
  private static final Duration CLOSE_FRAMES_GRACE = Duration.ofSeconds(2);

  @Inject Config config;
  @Inject Instance<Authenticator> authenticators;
  @Inject Instance<RoomAuthorizer> authorizers;
  @Inject Instance<MessageHandler> handlers;
  @Inject Instance<HubCustomizer> customizers;

  private Settings settings;
  private Hub hub;
  private SseEndpoint sse;
  private volatile RoomcastDeployment deployment; // written under this
  private boolean stopped; // guarded by this
  private volatile boolean draining;

  @PostConstruct
  void start() {
    settings = Settings.from(config);
    Hub.Builder builder = settings.applyTo(Hub.builder());
    if (settings.backplane() == Settings.Backplane.REDIS) {
      builder.backplane(RedisBackplanes.create(Settings.REDIS_URL, settings.redisUrl()));
    }
    builder.authenticator(
        authenticators.isResolvable() ? authenticators.get() : new PrincipalAuthenticator());
    if (authorizers.isResolvable()) {
      builder.authorizer(authorizers.get());
    }
    if (handlers.isResolvable()) {
      builder.messageHandler(handlers.get());
    }
    customizers.forEach(c -> c.customize(builder));
    hub = builder.build();
    sse = SseEndpoint.create(hub, settings.sse());
    LOG.info(
        () ->
            "roomcast hub "
                + hub.nodeId()
                + " started: "
                + settings
                + " authenticator="
                + (authenticators.isResolvable() ? "application bean" : "principal")
                + " authorizer="
                + (authorizers.isResolvable() ? "application bean" : "allow all"));
  }

  /** The application's hub; the same instance for every injection point. */
  @Produces
  @Dependent
  public Hub hub() {
    return hub;
  }

  public Settings settings() {
    return settings;
  }

  public SseEndpoint sse() {
    return sse;
  }

  /** Whether the WebSocket endpoint is deployed (readiness waits for it). */
  public boolean endpointDeployed() {
    return deployment != null;
  }

  /** Whether a drain has started (the application is stopping). */
  public boolean draining() {
    return draining;
  }

  /**
   * Deploys the WebSocket endpoint into the application's container, once.
   *
   * @throws IllegalStateException when the container refuses it (e.g. a path clash), with the path
   *     in the message
   */
  public synchronized RoomcastDeployment deploy(ServerContainer container) {
    if (deployment != null) {
      return deployment;
    }
    try {
      deployment = RoomcastEndpoints.deploy(container, hub, settings.endpoint());
    } catch (DeploymentException e) {
      throw new IllegalStateException(
          "roomcast: the WebSocket endpoint could not be deployed at "
              + settings.endpoint().path()
              + " ("
              + Settings.WEBSOCKET_PATH
              + ")",
          e);
    }
    LOG.info(() -> "roomcast WebSocket endpoint at " + settings.endpoint().path() + "/{room}");
    return deployment;
  }

  /**
   * Drains (1012 to every connection, spread over {@code roomcast.drain.time}), lets the close
   * frames go out, then closes the hub, the SSE endpoint and the WebSocket deployment. Blocks for
   * about the drain time; idempotent.
   *
   * @param why what stops the application, for the log
   */
  public synchronized void stop(String why) {
    if (stopped) {
      return;
    }
    stopped = true;
    draining = true;
    Duration spread = settings.drainTime();
    LOG.info(
        () ->
            "roomcast draining "
                + hub.metrics().connections()
                + " connections over "
                + spread
                + ": "
                + why);
    try {
      hub.drain(spread).get(spread.toMillis() + 5_000, TimeUnit.MILLISECONDS);
      if (deployment != null && !deployment.awaitSessionsClosed(CLOSE_FRAMES_GRACE)) {
        LOG.fine("roomcast: some WebSocket sessions were still closing after the drain");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      LOG.log(Level.WARNING, "roomcast drain did not finish; closing the rest with 1001", e);
    } finally {
      hub.close();
      sse.close();
      if (deployment != null) {
        deployment.close();
      }
    }
    LOG.info("roomcast stopped");
  }

  @PreDestroy
  void destroyed() {
    stop("the application context ends");
  }
}
