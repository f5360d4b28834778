package dev.roomcast.jakarta;

import jakarta.websocket.RemoteEndpoint;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
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
 * <p>Runs on the deployment's single shared scheduler thread; no thread per session. Pings go
 * through the session's asynchronous remote, which does not block in Tyrus; containers that block
 * in {@code sendPing} (Tomcat, up to its write timeout) hold that thread for that long.
 */
final class Keepalive {
  private static final Logger LOG = Logger.getLogger(Keepalive.class.getName());

  private final ScheduledExecutorService scheduler;
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
      RemoteEndpoint.Async remote,
      Duration interval,
      Duration timeout,
      Runnable onTimeout) {
    this.scheduler = scheduler;
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
    synchronized (lock) {
      if (stopped || awaitingPong) {
        return; // the pending deadline decides
      }
      awaitingPong = true;
      n = ++pings;
      try {
        deadline = scheduler.schedule(this::expired, timeoutNanos, TimeUnit.NANOSECONDS);
      } catch (RejectedExecutionException e) {
        stopped = true;
        return;
      }
    }
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
    onTimeout.run();
  }
}
