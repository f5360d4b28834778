package dev.roomcast.jakarta;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.websocket.RemoteEndpoint;
import java.lang.reflect.Proxy;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The keepalive's threading, without a container: pings leave the scheduler thread, a ping that
 * blocks does not delay the pong deadline, and a round with no free sender is skipped rather than
 * counted against the session.
 */
class KeepaliveTest {
  static final Duration INTERVAL = Duration.ofMillis(50);
  static final Duration TIMEOUT = Duration.ofMillis(500);

  /** How long a blocking ping blocks: far longer than interval + timeout, even on a busy box. */
  static final Duration BLOCK = Duration.ofSeconds(10);

  final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
  final AtomicInteger pings = new AtomicInteger();
  final AtomicBoolean accepting = new AtomicBoolean(true);
  final CountDownLatch timedOut = new CountDownLatch(1);
  final CountDownLatch pingStarted = new CountDownLatch(1);

  /** An executor that runs tasks on new threads while accepting, else refuses them. */
  final Executor sender =
      task -> {
        if (!accepting.get()) {
          throw new RejectedExecutionException("all senders busy");
        }
        Thread t = new Thread(task, "test-sender");
        t.setDaemon(true);
        t.start();
      };

  @AfterEach
  void stop() {
    scheduler.shutdownNow();
  }

  /** A remote whose sendPing counts and then blocks for {@code block}, like Tomcat's. */
  RemoteEndpoint.Async remote(Duration block) {
    return (RemoteEndpoint.Async)
        Proxy.newProxyInstance(
            getClass().getClassLoader(),
            new Class<?>[] {RemoteEndpoint.Async.class},
            (proxy, method, args) -> {
              if (method.getName().equals("sendPing")) {
                assertThat(Thread.currentThread().getName()).isEqualTo("test-sender");
                assertThat(((ByteBuffer) args[0]).remaining()).isEqualTo(Long.BYTES);
                pings.incrementAndGet();
                pingStarted.countDown();
                Thread.sleep(block.toMillis());
                return null;
              }
              throw new UnsupportedOperationException(method.getName());
            });
  }

  @Test
  void aPingThatBlocksDoesNotDelayItsDeadline() throws Exception {
    Keepalive k =
        new Keepalive(scheduler, sender, remote(BLOCK), INTERVAL, TIMEOUT, timedOut::countDown);
    k.start();
    assertThat(pingStarted.await(5, TimeUnit.SECONDS)).isTrue();
    long blockedSince = System.nanoTime();
    // the ping now blocks for BLOCK; the deadline must not wait for it
    assertThat(timedOut.await(BLOCK.toMillis() / 2, TimeUnit.MILLISECONDS))
        .as("timed out while the ping was still blocked")
        .isTrue();
    assertThat(Duration.ofNanos(System.nanoTime() - blockedSince)).isLessThan(BLOCK.dividedBy(2));
    assertThat(pings.get()).isEqualTo(1); // no second ping while the first awaits its pong
    k.stop();
  }

  @Test
  void aPongInTimeKeepsThePingsGoing() throws Exception {
    Keepalive k =
        new Keepalive(
            scheduler, sender, remote(Duration.ZERO), INTERVAL, TIMEOUT, timedOut::countDown);
    k.start();
    long end = System.nanoTime() + TIMEOUT.multipliedBy(4).toNanos();
    while (System.nanoTime() < end) {
      k.pongReceived();
      Thread.sleep(10);
    }
    assertThat(timedOut.getCount()).as("timed out").isEqualTo(1);
    assertThat(pings.get()).isGreaterThanOrEqualTo(5);
    k.stop();
  }

  @Test
  void withNoFreeSenderARoundIsSkippedNotTimedOut() throws Exception {
    accepting.set(false);
    Keepalive k =
        new Keepalive(
            scheduler, sender, remote(Duration.ZERO), INTERVAL, TIMEOUT, timedOut::countDown);
    k.start();
    assertThat(timedOut.await(TIMEOUT.multipliedBy(3).toMillis(), TimeUnit.MILLISECONDS))
        .as("timed out for pings that were never sent")
        .isFalse();
    assertThat(pings.get()).isZero();
    accepting.set(true); // senders free again: pings go out, no pong comes, the deadline closes
    assertThat(timedOut.await(5, TimeUnit.SECONDS)).isTrue();
    assertThat(pingStarted.await(5, TimeUnit.SECONDS)).isTrue();
    assertThat(pings.get()).isEqualTo(1);
    k.stop();
  }
}
