package dev.roomcast.redis;

import java.security.SecureRandom;
import java.util.SplittableRandom;

/**
 * Fresh epochs: 10 characters of {@code [0-9a-z]} (about 51 bits), so two nodes that start a room's
 * epoch at the same moment practically never propose the same one. Thread-safe.
 */
final class Epochs {
  private static final SecureRandom SEED = new SecureRandom();

  private final SplittableRandom random = new SplittableRandom(SEED.nextLong());

  /** A new epoch. Any thread. */
  String next() {
    char[] c = new char[10];
    synchronized (random) { // SplittableRandom is not thread-safe; publishes come from one thread
      for (int i = 0; i < c.length; i++) {
        c[i] = Character.forDigit(random.nextInt(36), 36);
      }
    }
    return new String(c);
  }
}
