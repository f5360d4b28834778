package dev.roomcast.jakarta;

import jakarta.websocket.RemoteEndpoint;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Ping/pong keepalive for one session, as the seed server's {@code ping_interval=30,
 * ping_timeout=10}: a ping every interval; if no pong arrived within the timeout after a ping, the
 * {@code onTimeout} action runs once (the endpoint closes with 4002).
 *
 * <p>Timing runs on the deployment's single shared scheduler thread; no thread per session. The
 * pings themselves, and the close after a timeout, run on the deployment's ping sender pool: {@code
 * sendPing} blocks in Tomcat and Jetty until the ping is written (Tomcat: up to its 20 s blocking
 * send timeout when the peer stopped reading), and must not hold up the scheduler that times every
 * other session. If every sender thread is busy, this session skips the round.
 */
final class Keepalive {
  private static final Logger LOG = Logger.getLogger(Keepalive.class.getName());

  private final ScheduledExecutorService scheduler;
  private final Executor sender;
  private final RemoteEndpoint.Async remote;
  private final long intervalNanos;
  private final long timeoutNanos;
  private final Runnable onTimeout;
  private final Object lock = new Object();
  private ScheduledFuture<?> periodic;
  private ScheduledFuture<?> deadline;
  private boolean awaitingPong;
  private boolean stopped;
  private long pings;

  Keepalive(
      ScheduledExecutorService scheduler,
      Executor sender,
      RemoteEndpoint.Async remote,
      Duration interval,
      Duration timeout,
      Runnable onTimeout) {
    this.scheduler = scheduler;
    this.sender = sender;
    this.remote = remote;
    this.intervalNanos = interval.toNanos();
    this.timeoutNanos = timeout.toNanos();
    this.onTimeout = onTimeout;
  }

  void start() {
    synchronized (lock) {
      if (stopped) {
        return;
      }
      try {
        periodic =
            scheduler.scheduleAtFixedRate(
                this::ping, intervalNanos, intervalNanos, TimeUnit.NANOSECONDS);
      } catch (RejectedExecutionException e) {
        stopped = true; // deployment closed
      }
    }
  }

  /** Any pong counts: RFC 6455 allows unsolicited pongs as heartbeats. */
  void pongReceived() {
    synchronized (lock) {
      awaitingPong = false;
      if (deadline != null) {
        deadline.cancel(false);
        deadline = null;
      }
    }
  }

  void stop() {
    synchronized (lock) {
      stopped = true;
      if (periodic != null) {
        periodic.cancel(false);
      }
      if (deadline != null) {
        deadline.cancel(false);
      }
    }
  }

  private void ping() {
    long n;
    ScheduledFuture<?> due;
    synchronized (lock) {
      if (stopped || awaitingPong) {
        return; // the pending deadline decides
      }
      awaitingPong = true;
      n = ++pings;
      try {
        due = scheduler.schedule(this::expired, timeoutNanos, TimeUnit.NANOSECONDS);
      } catch (RejectedExecutionException e) {
        stopped = true;
        return;
      }
      deadline = due;
    }
    try {
      sender.execute(() -> send(n));
    } catch (RejectedExecutionException e) {
      // Every sender is stuck in another session's blocked ping (or the deployment is closing):
      // skip this round rather than time this session out for a ping it never got.
      LOG.log(Level.FINE, "no ping sender free; skipping a keepalive round");
      synchronized (lock) {
        if (deadline == due) {
          due.cancel(false);
          deadline = null;
          awaitingPong = false;
        }
      }
    }
  }

  /** On a sender thread: may block until the container has written the ping. */
  private void send(long n) {
    try {
      remote.sendPing(ByteBuffer.allocate(Long.BYTES).putLong(0, n));
    } catch (IOException | RuntimeException e) {
      // The connection is going away; the container reports the close separately. If it does not,
      // the deadline closes it.
      LOG.log(Level.FINE, "ping failed", e);
    }
  }

  private void expired() {
    synchronized (lock) {
      if (stopped || !awaitingPong) {
        return;
      }
      stopped = true;
      if (periodic != null) {
        periodic.cancel(false);
      }
    }
    // Closing may write a close frame: off the scheduler too, like the pings.
    try {
      sender.execute(onTimeout);
    } catch (RejectedExecutionException e) {
      onTimeout.run();
    }
  }
}
