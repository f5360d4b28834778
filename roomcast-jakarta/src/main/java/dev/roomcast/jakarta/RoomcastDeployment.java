package dev.roomcast.jakarta;

import dev.roomcast.Hub;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One {@link RoomcastEndpoints#deploy} into a container: the hub, the settings, the count of open
 * WebSocket sessions, and the one keepalive scheduler thread shared by all of them.
 *
 * <p>Thread-safe. {@link #close()} stops the keepalive thread; it does not close sessions (the hub
 * does that in {@link Hub#drain} and {@link Hub#close}) and is idempotent.
 */
public final class RoomcastDeployment implements AutoCloseable {
  private final Hub hub;
  private final RoomcastEndpointConfig config;
  private final ScheduledThreadPoolExecutor scheduler;
  private final AtomicInteger openSessions = new AtomicInteger();

  RoomcastDeployment(Hub hub, RoomcastEndpointConfig config) {
    this.hub = hub;
    this.config = config;
    this.scheduler =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread t = new Thread(r, "roomcast-keepalive");
              t.setDaemon(true);
              return t;
            });
    scheduler.setRemoveOnCancelPolicy(true);
    scheduler.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
  }

  /** The hub sessions join. */
  public Hub hub() {
    return hub;
  }

  /** The settings this deployment was made with. */
  public RoomcastEndpointConfig config() {
    return config;
  }

  /**
   * WebSocket sessions the container has opened on these endpoints and not yet closed (including
   * ones the hub refused and is closing). Reaches 0 after a drain once every close completed.
   */
  public int openSessions() {
    return openSessions.get();
  }

  /**
   * Waits until {@link #openSessions()} is 0 or {@code timeout} passed.
   *
   * @return whether every session closed in time
   */
  public boolean awaitSessionsClosed(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (openSessions.get() > 0) {
      if (System.nanoTime() - deadline >= 0) {
        return false;
      }
      Thread.sleep(10);
    }
    return true;
  }

  /** Stops the shared keepalive thread. Idempotent. */
  @Override
  public void close() {
    scheduler.shutdownNow();
  }

  ScheduledExecutorService scheduler() {
    return scheduler;
  }

  void sessionOpened() {
    openSessions.incrementAndGet();
  }

  void sessionClosed() {
    openSessions.decrementAndGet();
  }
}
