package dev.roomcast.jakarta;

import dev.roomcast.Hub;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One {@link RoomcastEndpoints#deploy} into a container: the hub, the settings, the count of open
 * WebSocket sessions, the one keepalive scheduler thread shared by all of them, and the small pool
 * that sends their pings.
 *
 * <p>Pings are sent off the scheduler thread because {@code sendPing} blocks in Tomcat and Jetty
 * until the ping is written, which for a peer that stopped reading takes until a send timeout
 * (Tomcat: 20 s); on the scheduler that would hold up every other session's pings and pong
 * deadlines. The pool grows to at most {@value #MAX_PING_THREADS} threads and shrinks when idle.
 *
 * <p>Thread-safe. {@link #close()} stops both; it does not close sessions (the hub does that in
 * {@link Hub#drain} and {@link Hub#close}) and is idempotent.
 */
public final class RoomcastDeployment implements AutoCloseable {
  private final Hub hub;
  private final RoomcastEndpointConfig config;

  /** Sessions whose ping may be blocked at once before a round of pings is skipped. */
  static final int MAX_PING_THREADS = 32;

  private final ScheduledThreadPoolExecutor scheduler;
  private final ThreadPoolExecutor pingSender;
  private final AtomicInteger openSessions = new AtomicInteger();
  private final SendPaths sendPaths;

  RoomcastDeployment(Hub hub, RoomcastEndpointConfig config) {
    this.hub = hub;
    this.config = config;
    this.sendPaths = new SendPaths(config.rawFrameSinks());
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
    AtomicInteger pingThreads = new AtomicInteger();
    // No queue: a ping either starts at once on a free thread or is refused (that session skips a
    // round), so a ping never waits behind another session's blocked one.
    this.pingSender =
        new ThreadPoolExecutor(
            0,
            MAX_PING_THREADS,
            30,
            TimeUnit.SECONDS,
            new SynchronousQueue<>(),
            r -> {
              Thread t = new Thread(r, "roomcast-ping-" + pingThreads.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
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
   * Sessions opened so far whose broadcast frames go to the embedding server's own writer ({@link
   * RoomcastEndpointConfig#rawFrameSinks()}): the fast path of roomcast-grizzly.
   */
  public long directFrameSessions() {
    return sendPaths.directSessions();
  }

  /**
   * Sessions opened so far whose frames go to Tyrus' writer reached by reflection (Tyrus servers
   * that roomcast does not own): as fast, but it depends on Tyrus' private fields.
   */
  public long reflectedFrameSessions() {
    return sendPaths.reflectedSessions();
  }

  /**
   * Sessions opened so far that send with the container's {@code sendText}, which encodes and
   * frames every message once per recipient: the only path on Tomcat and Jetty, and the slow one on
   * Tyrus (the first such session there is logged at WARNING).
   */
  public long sendTextSessions() {
    return sendPaths.sendTextSessions();
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

  /** Stops the shared keepalive thread and the ping senders. Idempotent. */
  @Override
  public void close() {
    scheduler.shutdownNow();
    pingSender.shutdownNow();
  }

  ScheduledExecutorService scheduler() {
    return scheduler;
  }

  SendPaths sendPaths() {
    return sendPaths;
  }

  Executor pingSender() {
    return pingSender;
  }

  void sessionOpened() {
    openSessions.incrementAndGet();
  }

  void sessionClosed() {
    openSessions.decrementAndGet();
  }
}
