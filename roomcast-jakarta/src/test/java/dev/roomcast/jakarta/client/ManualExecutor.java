package dev.roomcast.jakarta.client;

import static org.assertj.core.api.Assertions.fail;

import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A connect executor the test drives: each connection attempt waits until the test lets it run, so
 * the test knows the client is offline while it sends.
 */
final class ManualExecutor implements Executor {
  private final BlockingQueue<Runnable> tasks = new LinkedBlockingQueue<>();
  final AtomicInteger submitted = new AtomicInteger();

  @Override
  public void execute(Runnable command) {
    submitted.incrementAndGet();
    tasks.add(command);
  }

  /** Runs the next connection attempt on a new thread once it has been submitted. */
  void runNext(Duration timeout) throws InterruptedException {
    Runnable r = tasks.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    if (r == null) {
      fail("no connection attempt within " + timeout);
    }
    Thread t = new Thread(r, "manual-connect");
    t.setDaemon(true);
    t.start();
  }

  int pending() {
    return tasks.size();
  }
}
