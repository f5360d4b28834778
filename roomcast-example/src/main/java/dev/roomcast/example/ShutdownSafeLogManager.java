package dev.roomcast.example;

import java.util.logging.LogManager;

/**
 * A {@link LogManager} whose JVM-shutdown reset waits until the server's own shutdown hook has
 * logged its last line. Selected with the {@code java.util.logging.manager} system property.
 */
public final class ShutdownSafeLogManager extends LogManager {
  private static volatile ShutdownSafeLogManager instance;
  private volatile boolean holdReset;

  public ShutdownSafeLogManager() {
    instance = this;
  }

  /** From now on, {@link #reset()} does nothing until {@link #releaseReset()}. */
  static void holdResetUntilReleased() {
    ShutdownSafeLogManager m = instance;
    if (m != null) {
      m.holdReset = true;
    }
  }

  /** Flushes and resets for real; call as the last thing in the shutdown hook. */
  static void releaseReset() {
    ShutdownSafeLogManager m = instance;
    if (m != null) {
      m.holdReset = false;
      m.reset();
    }
  }

  @Override
  public void reset() {
    if (!holdReset) {
      super.reset();
    }
  }
}
