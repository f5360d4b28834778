package dev.roomcast.redis;

import dev.roomcast.BackplaneUnavailableException;
import dev.roomcast.spi.BackplaneListener;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A node's health and the listener calls that report it: {@code onLost} exactly once per outage,
 * {@code onRestored} exactly once when it ends, and neither before the node is {@linkplain #attach
 * attached} (the hub's constructor is still running) or after it is closed.
 *
 * <p>States: down (initially, and after a failure) → up (every live room subscribed again) → down
 * ... → closed (terminal). Transitions happen under one lock; the listener is called outside it, by
 * the thread that made the transition, so a listener that calls back into the node cannot deadlock.
 *
 * <p>Thread-safe: failures are reported by any of the node's threads at once.
 */
final class NodeHealth {
  private static final Logger LOG = Logger.getLogger("dev.roomcast.redis");

  private final String description;
  private final BackplaneListener listener;
  private final Object lock = new Object();
  private volatile boolean healthy; // written under lock
  private boolean attached; // guarded by lock
  private volatile Throwable lastFailure;
  private volatile boolean gaveUp;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final CountDownLatch firstUp = new CountDownLatch(1);

  /**
   * @param description names the node and endpoint in log lines
   */
  NodeHealth(String description, BackplaneListener listener) {
    this.description = description;
    this.listener = listener;
  }

  boolean isHealthy() {
    return healthy && !closed.get();
  }

  boolean isClosed() {
    return closed.get();
  }

  /** From now on transitions are reported to the listener. */
  void attach() {
    synchronized (lock) {
      attached = true;
    }
  }

  /** Waits until the node was up once, or the timeout passed. */
  boolean awaitFirstUp(long millis) {
    try {
      return firstUp.await(millis, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /**
   * Closes the node: it is unhealthy for good and reports nothing more.
   *
   * @return {@code false} when it was closed already
   */
  boolean close() {
    if (!closed.compareAndSet(false, true)) {
      return false;
    }
    synchronized (lock) {
      healthy = false;
    }
    return true;
  }

  /**
   * Marks the node down. The caller drops its connections and then calls {@link #reportLost} with
   * the returned value, so the listener hears of the outage after nothing waits on a dead socket.
   *
   * @return whether this call ended an up period that must be reported
   */
  boolean markLost(Throwable cause) {
    synchronized (lock) {
      boolean report = healthy && attached && !closed.get();
      healthy = false;
      lastFailure = cause;
      return report;
    }
  }

  /** Tells the listener of an outage {@link #markLost} started. */
  void reportLost(boolean report, Throwable cause) {
    if (!report) {
      return;
    }
    LOG.warning("lost Redis " + description + ": " + cause);
    try {
      listener.onLost(unavailable(cause)); // this outage's cause, not a later failure's
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "listener.onLost threw", e);
    }
  }

  /**
   * Marks the node up if {@code stillCurrent} holds (checked under the lock, so a connection that
   * failed meanwhile cannot be reported healthy), and tells the listener.
   *
   * @return whether the node is up because of this call
   */
  boolean markUp(BooleanSupplier stillCurrent, int rooms) {
    boolean report;
    synchronized (lock) {
      if (closed.get() || healthy || !stillCurrent.getAsBoolean()) {
        return false;
      }
      healthy = true;
      lastFailure = null;
      report = attached;
    }
    firstUp.countDown();
    if (report) {
      LOG.info("Redis restored " + description + "; " + rooms + " rooms subscribed");
      try {
        listener.onRestored();
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "listener.onRestored threw", e);
      }
    }
    return true;
  }

  /** The backoff policy ran out: say so in every refusal from now on. */
  void gaveUp() {
    gaveUp = true;
  }

  Throwable lastFailure() {
    return lastFailure;
  }

  /** Why a command must fail now, or {@code null} when the node is up. */
  BackplaneUnavailableException refusal() {
    if (closed.get()) {
      return closedException();
    }
    return healthy ? null : unavailable();
  }

  /** The exception for "Redis is down right now"; its message is safe to show to clients. */
  BackplaneUnavailableException unavailable() {
    return unavailable(lastFailure);
  }

  private BackplaneUnavailableException unavailable(Throwable cause) {
    if (closed.get()) {
      return closedException();
    }
    return new BackplaneUnavailableException(
        gaveUp ? "Redis unreachable; gave up reconnecting" : "Redis unreachable; reconnecting",
        cause);
  }

  static BackplaneUnavailableException closedException() {
    return new BackplaneUnavailableException("Redis backplane is closed");
  }

  @Override
  public String toString() {
    return healthy ? "up" : "down";
  }
}
