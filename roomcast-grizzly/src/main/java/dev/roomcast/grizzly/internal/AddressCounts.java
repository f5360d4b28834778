package dev.roomcast.grizzly.internal;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Live counts per address with a limit, and their total: how many connections each client holds. An
 * address with nothing open has no entry, so the map is as large as the set of addresses with open
 * connections. Thread-safe.
 */
public final class AddressCounts {
  private final ConcurrentHashMap<String, AtomicInteger> counts = new ConcurrentHashMap<>();
  private final AtomicInteger total = new AtomicInteger();
  private final int perAddress;
  private final int overall;

  /**
   * @param perAddress the most per address, 0 for no limit
   * @param overall the most in all, 0 for no limit
   */
  AddressCounts(int perAddress, int overall) {
    this.perAddress = perAddress;
    this.overall = overall;
  }

  /** What {@link #acquire} found. */
  enum Result {
    OK,
    ADDRESS_FULL,
    ALL_FULL
  }

  /** Counts one more for {@code address} unless a limit is reached (then counts nothing). */
  Result acquire(String address) {
    if (total.incrementAndGet() > overall && overall > 0) {
      total.decrementAndGet();
      return Result.ALL_FULL;
    }
    boolean[] full = new boolean[1];
    counts.compute(
        address,
        (k, n) -> {
          AtomicInteger c = n == null ? new AtomicInteger() : n;
          if (perAddress > 0 && c.get() >= perAddress) {
            full[0] = true;
          } else {
            c.incrementAndGet();
          }
          return c.get() == 0 ? null : c;
        });
    if (full[0]) {
      total.decrementAndGet();
      return Result.ADDRESS_FULL;
    }
    return Result.OK;
  }

  /** Gives back one count taken by {@link #acquire}. */
  void release(String address) {
    counts.computeIfPresent(address, (k, n) -> n.decrementAndGet() <= 0 ? null : n);
    total.decrementAndGet();
  }

  public int total() {
    return total.get();
  }

  /** Addresses with at least one count (for tests: nothing must stay behind). */
  public int addresses() {
    return counts.size();
  }
}
