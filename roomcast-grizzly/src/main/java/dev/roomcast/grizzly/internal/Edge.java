package dev.roomcast.grizzly.internal;

import dev.roomcast.grizzly.EdgeConfig;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.glassfish.grizzly.Connection;

/**
 * The state the server's edge shares across connections: its settings, counts of pending and open
 * connections per address, the inbound budget, what it refused, and one timer thread for its
 * deadlines (closes that must not wait forever, body and message timeouts).
 *
 * <p>Thread-safe. {@link #close()} stops the timer; deadlines still pending then do not run (the
 * server is stopping and closes every connection anyway).
 */
public final class Edge implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(Edge.class.getName());

  /**
   * How long a refused HTTP connection may take to get its answer out while what its peer still
   * sends is dropped.
   */
  static final long LINGER_MILLIS = 2_000;

  /**
   * How long a closing WebSocket may take to get its queued frames and close frame to a peer that
   * does not read, before the connection is dropped (as {@code SessionTransport} bounds it in other
   * containers).
   */
  static final long CLOSE_GRACE_MILLIS = 5_000;

  public final EdgeConfig config;
  public final EdgeCounters counters = new EdgeCounters();
  public final AddressCounts pending;
  public final AddressCounts clients;
  public final InboundBudget inbound;

  /**
   * The bound on one WebSocket peer's write queue: the configured one, but never less than one
   * largest data frame (the largest content plus its envelope) and room for control frames, or
   * every member would be cut off by the first large broadcast.
   */
  public final long writeQueueBytes;

  private final ScheduledThreadPoolExecutor timer;

  public Edge(EdgeConfig config, long inboundTotalBytes, int maxContentBytes) {
    this.config = config;
    this.writeQueueBytes = Math.max(config.maxWriteQueueBytes(), maxContentBytes + 65_536L);
    this.pending = new AddressCounts(config.maxPendingPerAddress(), config.maxPendingConnections());
    this.clients = new AddressCounts(config.maxConnectionsPerAddress(), 0);
    this.inbound = new InboundBudget(inboundTotalBytes);
    this.timer =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread t = new Thread(r, "roomcast-edge");
              t.setDaemon(true);
              return t;
            });
    timer.setRemoveOnCancelPolicy(true);
    timer.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
  }

  /** The timer, for deadlines. Tasks must be short and must not block. */
  ScheduledExecutorService timer() {
    return timer;
  }

  /**
   * Runs {@code task} after {@code millis}, unless the edge has been closed.
   *
   * @return the scheduled task, for deadlines that are met early to cancel (a cancelled task leaves
   *     the timer's queue at once, with whatever it references); {@code null} when stopping
   */
  ScheduledFuture<?> later(long millis, Runnable task) {
    try {
      return timer.schedule(
          () -> {
            try {
              task.run();
            } catch (RuntimeException e) {
              LOG.log(Level.WARNING, "edge deadline failed", e);
            }
          },
          millis,
          TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.RejectedExecutionException stopping) {
      return null; // the server is stopping and closes every connection itself
    }
  }

  /**
   * Drops {@code connection} after {@code millis} unless it has closed by then. The timer task is
   * cancelled when the connection closes, so a churn of closing connections does not keep each one
   * reachable for the whole grace.
   */
  @SuppressWarnings({"unchecked", "rawtypes"})
  void terminateLater(Connection connection, long millis) {
    ScheduledFuture<?> task = later(millis, connection::terminateSilently);
    if (task != null) {
      connection.addCloseListener(
          (org.glassfish.grizzly.CloseListener) (closeable, type) -> task.cancel(false));
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
