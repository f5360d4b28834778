package dev.roomcast.jakarta.sse;

import java.time.Duration;
import java.util.Objects;

/**
 * Timing of Server-Sent Events streams. Immutable; build with {@link #builder()} or take {@link
 * #defaults()}. Setters check their arguments at once.
 *
 * <ul>
 *   <li>{@code retry} (1 s): the {@code retry:} hint sent first, how long a browser's {@code
 *       EventSource} waits before it reconnects.
 *   <li>{@code heartbeat} (15 s): a {@code : heartbeat} comment is written when a stream has been
 *       quiet this long, so proxies and load balancers do not time it out. {@link Duration#ZERO}
 *       turns heartbeats off.
 *   <li>{@code writeTimeout} (30 s): a stream whose current write has not completed for this long
 *       (the client stopped reading) is closed as a slow consumer. Checked on heartbeat ticks, so
 *       it needs heartbeats on.
 * </ul>
 */
public final class SseConfig {
  private final Duration retry;
  private final Duration heartbeat;
  private final Duration writeTimeout;

  private SseConfig(Builder b) {
    this.retry = b.retry;
    this.heartbeat = b.heartbeat;
    this.writeTimeout = b.writeTimeout;
  }

  /** Retry 1 s, heartbeat 15 s, write timeout 30 s. */
  public static SseConfig defaults() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The {@code retry:} hint. */
  public Duration retry() {
    return retry;
  }

  /** Quiet time after which a heartbeat comment is written; zero means never. */
  public Duration heartbeat() {
    return heartbeat;
  }

  /** How long one write may stay unfinished before the stream is closed. */
  public Duration writeTimeout() {
    return writeTimeout;
  }

  /** Whether heartbeats (and the write timeout check) run. */
  public boolean heartbeatEnabled() {
    return !heartbeat.isZero();
  }

  @Override
  public String toString() {
    return "SseConfig{retry="
        + retry.toMillis()
        + "ms, heartbeat="
        + heartbeat.toMillis()
        + "ms, writeTimeout="
        + writeTimeout.toMillis()
        + "ms}";
  }

  /** Builds an {@link SseConfig}. Not thread-safe. */
  public static final class Builder {
    private Duration retry = Duration.ofSeconds(1);
    private Duration heartbeat = Duration.ofSeconds(15);
    private Duration writeTimeout = Duration.ofSeconds(30);

    private Builder() {}

    /** The {@code retry:} hint, 1 ms to 1 hour. */
    public Builder retry(Duration retry) {
      Objects.requireNonNull(retry, "retry");
      if (retry.toMillis() < 1 || retry.compareTo(Duration.ofHours(1)) > 0) {
        throw new IllegalArgumentException("retry must be between 1 ms and 1 hour, was " + retry);
      }
      this.retry = retry;
      return this;
    }

    /** Heartbeat after this much quiet, at least 10 ms; {@link Duration#ZERO} turns it off. */
    public Builder heartbeat(Duration heartbeat) {
      Objects.requireNonNull(heartbeat, "heartbeat");
      if (heartbeat.isNegative() || (!heartbeat.isZero() && heartbeat.toMillis() < 10)) {
        throw new IllegalArgumentException(
            "heartbeat must be zero (off) or at least 10 ms, was " + heartbeat);
      }
      this.heartbeat = heartbeat;
      return this;
    }

    /** Longest time one write may stay unfinished, at least 10 ms. */
    public Builder writeTimeout(Duration writeTimeout) {
      Objects.requireNonNull(writeTimeout, "writeTimeout");
      if (writeTimeout.toMillis() < 10) {
        throw new IllegalArgumentException(
            "writeTimeout must be at least 10 ms, was " + writeTimeout);
      }
      this.writeTimeout = writeTimeout;
      return this;
    }

    public SseConfig build() {
      return new SseConfig(this);
    }
  }
}
