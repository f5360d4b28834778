package dev.roomcast.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roomcast.spi.OutboundFrame;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class OutboxBudgetTest {

  @Test
  void aSharedFrameIsPaidOnceAndFreedByItsLastHolder() {
    OutboxBudget budget = new OutboxBudget(1000);
    OutboundFrame frame = OutboundFrame.system("x".repeat(600));
    for (int i = 0; i < 100; i++) {
      assertThat(budget.acquire(frame)).isTrue();
    }
    assertThat(budget.held()).isEqualTo(600);
    for (int i = 0; i < 99; i++) {
      budget.release(frame);
    }
    assertThat(budget.held()).isEqualTo(600);
    budget.release(frame);
    assertThat(budget.held()).isZero();
  }

  @Test
  void aNewFrameThatWouldPassTheLimitIsRefusedAndTakesNothing() {
    OutboxBudget budget = new OutboxBudget(1000);
    OutboundFrame first = OutboundFrame.system("a".repeat(600));
    OutboundFrame second = OutboundFrame.system("b".repeat(600));
    assertThat(budget.acquire(first)).isTrue();
    assertThat(budget.acquire(second)).isFalse();
    assertThat(budget.held()).isEqualTo(600);
    assertThat(budget.acquire(first)).as("another hold on a paid frame is free").isTrue();
    budget.release(first);
    budget.release(first);
    assertThat(budget.acquire(second)).isTrue();
    assertThat(budget.held()).isEqualTo(600);
  }

  @Test
  void concurrentHoldersOfSharedFramesLeaveNothingCounted() throws Exception {
    OutboxBudget budget = new OutboxBudget(Long.MAX_VALUE);
    List<OutboundFrame> frames = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      frames.add(OutboundFrame.system("frame-" + i));
    }
    int threads = 4;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<?>> done = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      done.add(
          pool.submit(
              () -> {
                start.await();
                for (int round = 0; round < 2_000; round++) {
                  for (OutboundFrame f : frames) {
                    budget.acquire(f);
                  }
                  for (OutboundFrame f : frames) {
                    budget.release(f);
                  }
                }
                return null;
              }));
    }
    start.countDown();
    for (Future<?> f : done) {
      f.get();
    }
    pool.shutdown();
    assertThat(budget.held()).isZero();
    for (OutboundFrame f : frames) {
      assertThat(FrameHolders.get(f)).isZero();
    }
  }
}
