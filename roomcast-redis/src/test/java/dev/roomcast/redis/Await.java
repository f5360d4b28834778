package dev.roomcast.redis;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Polls a condition until it holds or a deadline passes (then fails with a description). */
public final class Await {
  private Await() {}

  public static void until(Duration timeout, BooleanSupplier condition, Supplier<String> what) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after " + timeout + " waiting for: " + what.get());
      }
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted waiting for: " + what.get());
      }
    }
  }

  public static void until(Duration timeout, BooleanSupplier condition, String what) {
    until(timeout, condition, () -> what);
  }
}
