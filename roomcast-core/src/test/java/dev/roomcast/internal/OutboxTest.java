package dev.roomcast.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roomcast.OutboxLimits;
import dev.roomcast.spi.OutboundFrame;
import dev.roomcast.spi.Transport;
import dev.roomcast.testing.RecordingTransport;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class OutboxTest {

  private static final class CountingListener implements Outbox.Listener {
    final AtomicInteger overflows = new AtomicInteger();
    final AtomicInteger budgetExhausted = new AtomicInteger();
    final AtomicInteger failures = new AtomicInteger();
    final AtomicInteger written = new AtomicInteger();

    @Override
    public void onOverflow() {
      overflows.incrementAndGet();
    }

    @Override
    public void onBudgetExhausted() {
      budgetExhausted.incrementAndGet();
    }

    @Override
    public void onWriteFailed(Throwable failure) {
      failures.incrementAndGet();
    }

    @Override
    public void onWritten(OutboundFrame frame) {
      written.incrementAndGet();
    }
  }

  @Test
  void inlineCompletionsDoNotRecurseAndKeepFifo() {
    RecordingTransport t = new RecordingTransport();
    CountingListener l = new CountingListener();
    Outbox box = new Outbox(t, new OutboxLimits(1_000_000, 1L << 30), l);
    for (int i = 0; i < 200_000; i++) {
      assertThat(box.offer(OutboundFrame.system(Integer.toString(i)))).isTrue();
    }
    List<OutboundFrame> frames = t.frames();
    assertThat(frames).hasSize(200_000);
    for (int i = 0; i < frames.size(); i++) {
      assertThat(frames.get(i).text()).isEqualTo(Integer.toString(i));
    }
    assertThat(l.written.get()).isEqualTo(200_000);
    assertThat(box.queuedFrames()).isZero();
  }

  @Test
  void asynchronousCompletionsFromOtherThreadsNeverOverlapSends() throws Exception {
    ExecutorService completer = Executors.newFixedThreadPool(2);
    AtomicInteger inFlight = new AtomicInteger();
    AtomicInteger maxInFlight = new AtomicInteger();
    LinkedBlockingQueue<String> written = new LinkedBlockingQueue<>();
    Transport async =
        new Transport() {
          @Override
          public void send(OutboundFrame frame, WriteCallback done) {
            maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            written.add(frame.text());
            completer.execute(
                () -> {
                  inFlight.decrementAndGet();
                  done.completed(null);
                });
          }

          @Override
          public void close(int code, String reason) {}
        };
    Outbox box = new Outbox(async, new OutboxLimits(1_000_000, 1L << 30), new CountingListener());
    int producers = 4;
    int each = 20_000;
    ExecutorService pool = Executors.newFixedThreadPool(producers);
    CountDownLatch go = new CountDownLatch(1);
    for (int p = 0; p < producers; p++) {
      int id = p;
      pool.execute(
          () -> {
            try {
              go.await();
            } catch (InterruptedException e) {
              return;
            }
            for (int i = 0; i < each; i++) {
              box.offer(OutboundFrame.system(id + ":" + i));
            }
          });
    }
    go.countDown();
    pool.shutdown();
    assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (written.size() < producers * each && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    completer.shutdown();
    assertThat(written).hasSize(producers * each);
    assertThat(maxInFlight.get()).isEqualTo(1);
    int[] next = new int[producers];
    for (String s : new ArrayList<>(written)) {
      String[] parts = s.split(":");
      assertThat(Integer.parseInt(parts[1])).isEqualTo(next[Integer.parseInt(parts[0])]++);
    }
  }

  @Test
  void overflowAndFailureKillTheOutboxOnce() {
    RecordingTransport t = new RecordingTransport();
    t.stall();
    CountingListener l = new CountingListener();
    Outbox box = new Outbox(t, new OutboxLimits(3, 1000), l);
    for (int i = 0; i < 10; i++) {
      box.offer(OutboundFrame.system("x"));
    }
    assertThat(l.overflows.get()).isEqualTo(1);
    assertThat(box.isDead()).isTrue();
    assertThat(box.offer(OutboundFrame.system("late"))).isFalse();

    Transport failing =
        new Transport() {
          @Override
          public void send(OutboundFrame frame, WriteCallback done) {
            done.completed(new java.io.IOException("broken pipe"));
          }

          @Override
          public void close(int code, String reason) {}
        };
    CountingListener l2 = new CountingListener();
    Outbox box2 = new Outbox(failing, new OutboxLimits(10, 1000), l2);
    box2.offer(OutboundFrame.system("a"));
    box2.offer(OutboundFrame.system("b"));
    assertThat(l2.failures.get()).isEqualTo(1);
    assertThat(box2.queuedFrames()).isZero();
  }
}
