package dev.roomcast.bench;

/**
 * The one time base used for latency stamps. Stamps are differences, so they may be negative (a
 * schedule computed before this class loaded); only absence is marked, by {@link Frame#NO_TIME}.
 *
 * <p>Sender and receivers live in the same process, so a monotonic {@link System#nanoTime()} offset
 * is both exact and immune to wall-clock steps; epoch time would add NTP noise for nothing.
 */
public final class Clock {
  private static final long BASE = System.nanoTime();

  private Clock() {}

  /** Microseconds since this class was loaded. */
  public static long micros() {
    return toMicros(System.nanoTime());
  }

  /** Converts a {@link System#nanoTime()} reading to this clock's microseconds. */
  public static long toMicros(long nanoTime) {
    return (nanoTime - BASE) / 1_000L;
  }
}
