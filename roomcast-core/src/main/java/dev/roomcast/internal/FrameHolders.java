package dev.roomcast.internal;

import dev.roomcast.spi.OutboundFrame;
import java.util.Objects;

/**
 * The hub's access to an {@link OutboundFrame}'s holder count (how many outboxes hold it), which
 * {@link OutboxBudget} needs to count a shared frame once. The count lives in the frame, so it
 * costs no allocation and no map lookup per delivery; it stays out of the frame's public API
 * because only the hub may change it: {@code OutboundFrame} hands this class its accessor when it
 * is initialized, which happens before any frame exists.
 *
 * <p>Thread-safe: the accessor works on a volatile field with compare-and-set.
 */
public final class FrameHolders {
  /** What {@code OutboundFrame} provides. Not for applications. */
  public interface Access {
    int get(OutboundFrame frame);

    boolean compareAndSet(OutboundFrame frame, int expected, int next);

    int addAndGet(OutboundFrame frame, int delta);
  }

  private static volatile Access access;

  private FrameHolders() {}

  /**
   * Called once by {@code OutboundFrame}'s static initializer.
   *
   * @throws IllegalStateException when called again
   */
  public static synchronized void install(Access a) {
    if (access != null) {
      throw new IllegalStateException("frame holder access already installed");
    }
    access = Objects.requireNonNull(a, "access");
  }

  static int get(OutboundFrame frame) {
    return access().get(frame);
  }

  static boolean compareAndSet(OutboundFrame frame, int expected, int next) {
    return access().compareAndSet(frame, expected, next);
  }

  static int decrementAndGet(OutboundFrame frame) {
    return access().addAndGet(frame, -1);
  }

  private static Access access() {
    Access a = access;
    if (a == null) {
      // No frame can exist before its class is initialized, and initializing it installs access.
      throw new IllegalStateException("OutboundFrame not initialized");
    }
    return a;
  }
}
