package dev.roomcast.spring.boot.autoconfigure;

import dev.roomcast.Hub;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.SmartLifecycle;

/**
 * Drains the hub when the application shuts down, before the web server stops taking requests: new
 * joins are refused, every WebSocket is closed with 1012 ("service restart": reconnect at once and
 * resume) and every SSE stream ends, spread evenly over {@code roomcast.drain.time} so the clients
 * do not all reconnect to the remaining instances at the same moment. Then it waits (up to {@value
 * #CLOSE_GRACE_SECONDS} s) for the WebSocket close handshakes to finish, so no client sees the
 * connection cut (1006) instead of the 1012.
 *
 * <p>Its phase is one above Boot's graceful-shutdown phase ({@link
 * WebServerApplicationContext#GRACEFUL_SHUTDOWN_PHASE}): lifecycles stop from the highest phase
 * down, so the drain finishes while the server still accepts connections, then the graceful
 * shutdown (which on Tomcat and Jetty closes the port and would otherwise wait for every SSE
 * stream) runs, then the server stops. With {@code server.shutdown=immediate} the drain still runs
 * before the server stops. Spring waits for it up to {@code
 * spring.lifecycle.timeout-per-shutdown-phase} (30 s by default).
 *
 * <p>Thread-safe. The stop callback runs on a short-lived {@code roomcast-drain} thread, not on the
 * thread closing the context.
 */
public final class RoomcastDrain implements SmartLifecycle {
  /** Stops one phase before the web server's graceful shutdown. */
  public static final int PHASE = WebServerApplicationContext.GRACEFUL_SHUTDOWN_PHASE + 1;

  static final long CLOSE_GRACE_SECONDS = 2;

  private static final Logger LOG = Logger.getLogger(RoomcastDrain.class.getName());

  private final Hub hub;
  private final Duration spread;
  private final RoomcastWebSocket webSocket; // null when no WebSocket endpoint
  private final AtomicBoolean running = new AtomicBoolean();

  /**
   * @param hub the hub to drain
   * @param spread how long the closes are spread over
   * @param webSocket the endpoint whose sessions to wait for, or {@code null}
   */
  public RoomcastDrain(Hub hub, Duration spread, RoomcastWebSocket webSocket) {
    this.hub = Objects.requireNonNull(hub, "hub");
    this.spread = Objects.requireNonNull(spread, "spread");
    this.webSocket = webSocket;
  }

  @Override
  public void start() {
    running.set(true);
  }

  @Override
  public void stop() {
    throw new UnsupportedOperationException("stop(Runnable) drains asynchronously");
  }

  @Override
  public void stop(Runnable callback) {
    if (!running.compareAndSet(true, false)) {
      callback.run();
      return;
    }
    int connections = (int) hub.metrics().connections();
    LOG.info(() -> "draining " + connections + " connection(s) over " + spread.toMillis() + " ms");
    Thread t =
        new Thread(
            () -> {
              try {
                hub.drain(spread).get(spread.toMillis() + 5_000, TimeUnit.MILLISECONDS);
                if (webSocket != null
                    && !webSocket.awaitSessionsClosed(Duration.ofSeconds(CLOSE_GRACE_SECONDS))) {
                  LOG.info(
                      () ->
                          webSocket.openSessions()
                              + " WebSocket session(s) still closing after the drain");
                }
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              } catch (Exception e) {
                LOG.log(Level.WARNING, "roomcast drain did not complete", e);
              } finally {
                callback.run();
              }
            },
            "roomcast-drain");
    t.setDaemon(true);
    t.start();
  }

  @Override
  public boolean isRunning() {
    return running.get();
  }

  @Override
  public int getPhase() {
    return PHASE;
  }
}
