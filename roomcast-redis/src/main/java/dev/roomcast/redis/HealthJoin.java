package dev.roomcast.redis;

import dev.roomcast.BackplaneUnavailableException;
import dev.roomcast.spi.BackplaneListener;
import java.util.HashSet;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Joins the health of several links (one per Redis shard or Cluster primary) into the one the hub
 * sees: up only while every link is up. The hub hears {@code onLost} once when the first link goes
 * down and {@code onRestored} once when the last one is back (and every live room is subscribed
 * again on its link), so an outage of one shard looks like any other outage: readiness down, one
 * outage counted, every live room caught up from history afterwards.
 *
 * <p>Links are named by a key (a shard index, a Cluster node's address). A link that is {@linkplain
 * #remove removed} (a Cluster primary that lost its slots) no longer counts.
 *
 * <p>Thread-safe. Transitions and listener calls happen under one lock so that a lost and a
 * restored from two links' threads reach the hub in the order they were decided; the hub's listener
 * returns quickly and never calls back into the backplane under its own locks.
 */
final class HealthJoin {
  private static final Logger LOG = Logger.getLogger("dev.roomcast.redis");

  private final BackplaneListener listener;
  private final Set<String> links = new HashSet<>(); // guarded by this
  private final Set<String> down = new HashSet<>(); // guarded by this
  private boolean attached; // guarded by this
  private boolean reportedUp; // what the hub believes; guarded by this
  private volatile boolean healthy;

  HealthJoin(BackplaneListener listener) {
    this.listener = listener;
  }

  /** A new link, down until it reports up. */
  synchronized void add(String link) {
    links.add(link);
    down.add(link);
    update(null);
  }

  /**
   * A link that already connected (or tried): up if {@code isUp} says so when added under the lock,
   * so a loss it reports right after is not missed.
   */
  synchronized void add(String link, java.util.function.BooleanSupplier isUp) {
    links.add(link);
    if (isUp.getAsBoolean()) {
      down.remove(link);
    } else {
      down.add(link);
    }
    update(null);
  }

  /** A link that no longer serves anything. */
  synchronized void remove(String link) {
    links.remove(link);
    down.remove(link);
    update(null);
  }

  synchronized void lost(String link, Throwable cause) {
    if (links.contains(link)) {
      down.add(link);
      update(cause);
    }
  }

  synchronized void restored(String link) {
    if (links.contains(link)) {
      down.remove(link);
      update(null);
    }
  }

  /** From now on transitions are reported; the hub starts out believing the backplane up. */
  synchronized void attach() {
    attached = true;
    // the hub reads isHealthy() right after attach returns and starts from that
    reportedUp = down.isEmpty() && !links.isEmpty();
  }

  boolean isHealthy() {
    return healthy;
  }

  synchronized Set<String> downLinks() {
    return Set.copyOf(down);
  }

  private void update(Throwable cause) {
    boolean up = down.isEmpty() && !links.isEmpty();
    healthy = up;
    if (!attached || up == reportedUp) {
      return;
    }
    reportedUp = up;
    try {
      if (up) {
        listener.onRestored();
      } else {
        listener.onLost(
            cause != null
                ? new BackplaneUnavailableException(
                    "Redis unreachable; reconnecting (" + down + ")", cause)
                : new BackplaneUnavailableException("Redis unreachable; reconnecting"));
      }
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "listener threw", e);
    }
  }
}
