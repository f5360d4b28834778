package dev.roomcast;

import java.time.Duration;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * Delay before the n-th reconnect attempt: exponential, capped, with jitter. A pure function of the
 * attempt number and the injected randomness, so a seeded random pins the sequence.
 *
 * <p>For attempt {@code n >= 1}: {@code ceiling = min(maxDelay, initialDelay * multiplier^(n-1))}
 * in milliseconds; then with {@link Jitter#FULL} (the default) the delay is {@code floor(ceiling *
 * r)}, with {@link Jitter#EQUAL} {@code floor(ceiling / 2 + ceiling / 2 * r)}, with {@link
 * Jitter#NONE} {@code floor(ceiling)}, where {@code r} in {@code [0, 1)} comes from the random
 * source. The arithmetic is in doubles and capped before conversion, so any attempt number, however
 * large, gives a delay within {@code [0, maxDelay]}. The browser client (roomcast.js) implements
 * the same formula with the same defaults.
 *
 * <p>Defaults: initial delay 1 s, multiplier 2, max delay 30 s (the seed's client schedule, with
 * full jitter to spread reconnect storms), never give up.
 *
 * <p>Immutable and thread-safe when the random source is (the default one is).
 */
public final class BackoffPolicy {
  /** How the delay is randomised below its exponential ceiling. */
  public enum Jitter {
    /** Uniform in {@code [0, ceiling)}: spreads a crowd of reconnecting clients the most. */
    FULL,
    /** Uniform in {@code [ceiling/2, ceiling)}. */
    EQUAL,
    /** Exactly the ceiling. */
    NONE
  }

  private static final DoubleSupplier DEFAULT_RANDOM =
      () -> ThreadLocalRandom.current().nextDouble();

  private final long initialDelayMillis;
  private final long maxDelayMillis;
  private final double multiplier;
  private final Jitter jitter;
  private final int maxAttempts;
  private final DoubleSupplier random;

  private BackoffPolicy(Builder b) {
    this.initialDelayMillis = b.initialDelay.toMillis();
    this.maxDelayMillis = b.maxDelay.toMillis();
    this.multiplier = b.multiplier;
    this.jitter = b.jitter;
    this.maxAttempts = b.maxAttempts;
    this.random = b.random;
  }

  /** The default policy: 1 s initial, x2, 30 s cap, full jitter, unlimited attempts. */
  public static BackoffPolicy defaults() {
    return builder().build();
  }

  /** A builder starting from the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The delay before attempt {@code attempt}, in milliseconds, or empty when the policy gives up.
   *
   * @param attempt the attempt number, 1 for the first retry after a failure
   * @throws IllegalArgumentException if {@code attempt < 1}
   */
  public OptionalLong delayMillis(int attempt) {
    if (attempt < 1) {
      throw new IllegalArgumentException("attempt must be >= 1, was " + attempt);
    }
    if (maxAttempts > 0 && attempt > maxAttempts) {
      return OptionalLong.empty();
    }
    double ceiling = ceilingMillis(attempt);
    double r = random.getAsDouble();
    if (!(r >= 0.0 && r < 1.0)) {
      throw new IllegalStateException("random source must return values in [0, 1), gave " + r);
    }
    double delay;
    switch (jitter) {
      case FULL:
        delay = ceiling * r;
        break;
      case EQUAL:
        delay = ceiling / 2 + ceiling / 2 * r;
        break;
      default:
        delay = ceiling;
    }
    return OptionalLong.of((long) Math.floor(delay));
  }

  /**
   * The delay before attempt {@code attempt}, or empty when the policy gives up.
   *
   * @see #delayMillis(int)
   */
  public java.util.Optional<Duration> delay(int attempt) {
    OptionalLong ms = delayMillis(attempt);
    return ms.isPresent()
        ? java.util.Optional.of(Duration.ofMillis(ms.getAsLong()))
        : java.util.Optional.empty();
  }

  /** The exponential ceiling for an attempt, before jitter; never above the max delay. */
  public double ceilingMillis(int attempt) {
    // pow overflows to +Infinity for large attempts; min() then caps it, so no long overflow.
    double exp = initialDelayMillis * Math.pow(multiplier, attempt - 1.0);
    return Math.min((double) maxDelayMillis, exp);
  }

  public Duration initialDelay() {
    return Duration.ofMillis(initialDelayMillis);
  }

  public Duration maxDelay() {
    return Duration.ofMillis(maxDelayMillis);
  }

  public double multiplier() {
    return multiplier;
  }

  public Jitter jitter() {
    return jitter;
  }

  /** The most attempts before giving up; 0 means never give up. */
  public int maxAttempts() {
    return maxAttempts;
  }

  /** A builder with this policy's settings. */
  public Builder toBuilder() {
    return new Builder()
        .initialDelay(initialDelay())
        .maxDelay(maxDelay())
        .multiplier(multiplier)
        .jitter(jitter)
        .maxAttempts(maxAttempts)
        .random(random);
  }

  @Override
  public String toString() {
    return "BackoffPolicy{initial="
        + initialDelayMillis
        + "ms, max="
        + maxDelayMillis
        + "ms, multiplier="
        + multiplier
        + ", jitter="
        + jitter
        + ", maxAttempts="
        + (maxAttempts == 0 ? "unlimited" : maxAttempts)
        + "}";
  }

  /** Builds a {@link BackoffPolicy}; every setter checks its argument at once. Not thread-safe. */
  public static final class Builder {
    private Duration initialDelay = Duration.ofSeconds(1);
    private Duration maxDelay = Duration.ofSeconds(30);
    private double multiplier = 2.0;
    private Jitter jitter = Jitter.FULL;
    private int maxAttempts = 0;
    private DoubleSupplier random = DEFAULT_RANDOM;

    private Builder() {}

    /** The ceiling of the first attempt's delay; at least 1 ms. */
    public Builder initialDelay(Duration initialDelay) {
      Objects.requireNonNull(initialDelay, "initialDelay");
      if (initialDelay.toMillis() < 1) {
        throw new IllegalArgumentException("initialDelay must be at least 1 ms");
      }
      this.initialDelay = initialDelay;
      return this;
    }

    /** The largest delay; at least the initial delay (checked at build). */
    public Builder maxDelay(Duration maxDelay) {
      Objects.requireNonNull(maxDelay, "maxDelay");
      if (maxDelay.toMillis() < 1) {
        throw new IllegalArgumentException("maxDelay must be at least 1 ms");
      }
      this.maxDelay = maxDelay;
      return this;
    }

    /** Growth per attempt; at least 1.0. */
    public Builder multiplier(double multiplier) {
      if (!(multiplier >= 1.0) || Double.isInfinite(multiplier)) {
        throw new IllegalArgumentException(
            "multiplier must be a finite number >= 1, was " + multiplier);
      }
      this.multiplier = multiplier;
      return this;
    }

    public Builder jitter(Jitter jitter) {
      this.jitter = Objects.requireNonNull(jitter, "jitter");
      return this;
    }

    /** Give up after this many attempts; 0 (the default) means never. */
    public Builder maxAttempts(int maxAttempts) {
      if (maxAttempts < 0) {
        throw new IllegalArgumentException("maxAttempts must be >= 0, was " + maxAttempts);
      }
      this.maxAttempts = maxAttempts;
      return this;
    }

    /**
     * The source of randomness, returning values in {@code [0, 1)}; e.g. {@code new
     * Random(42)::nextDouble} in tests.
     */
    public Builder random(DoubleSupplier random) {
      this.random = Objects.requireNonNull(random, "random");
      return this;
    }

    public BackoffPolicy build() {
      if (maxDelay.compareTo(initialDelay) < 0) {
        throw new IllegalArgumentException(
            "maxDelay ("
                + maxDelay
                + ") must not be less than initialDelay ("
                + initialDelay
                + ")");
      }
      return new BackoffPolicy(this);
    }
  }
}
