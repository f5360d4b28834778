package dev.roomcast;

/**
 * Limits a hub enforces on every transport. Immutable; build with {@link #defaults()} and the
 * {@code with...} methods, each of which checks its argument at once.
 *
 * @param maxMessageBytes largest inbound text frame in bytes; larger closes with 1009 (64 KiB)
 * @param maxJsonDepth deepest nesting of an inbound JSON frame; deeper gets an error frame (32)
 * @param maxContentBytes largest {@code content} value in bytes of compact JSON; larger gets an
 *     error frame (32 KiB)
 * @param maxConnections most open connections per hub; above it joins are refused with 1013 / 503
 *     (10,000)
 * @param maxRooms most rooms with local members per hub; above it joins into new rooms are refused
 *     with 1013 / 503 (10,000)
 * @param publishRatePerSecond sustained publishes per connection per second (token bucket refill)
 *     (100)
 * @param publishBurst token bucket size (200)
 * @param maxRateViolations consecutive rate-limited publishes after which the connection is closed
 *     with 1008 (50)
 */
public record Limits(
    int maxMessageBytes,
    int maxJsonDepth,
    int maxContentBytes,
    int maxConnections,
    int maxRooms,
    double publishRatePerSecond,
    int publishBurst,
    int maxRateViolations) {

  public Limits {
    positive("maxMessageBytes", maxMessageBytes);
    positive("maxJsonDepth", maxJsonDepth);
    positive("maxContentBytes", maxContentBytes);
    positive("maxConnections", maxConnections);
    positive("maxRooms", maxRooms);
    if (!(publishRatePerSecond > 0) || Double.isInfinite(publishRatePerSecond)) {
      throw new IllegalArgumentException(
          "publishRatePerSecond must be a positive number, was " + publishRatePerSecond);
    }
    positive("publishBurst", publishBurst);
    positive("maxRateViolations", maxRateViolations);
  }

  private static void positive(String name, long value) {
    if (value < 1) {
      throw new IllegalArgumentException(name + " must be >= 1, was " + value);
    }
  }

  /** The defaults listed on the record components. */
  public static Limits defaults() {
    return new Limits(64 * 1024, 32, 32 * 1024, 10_000, 10_000, 100, 200, 50);
  }

  public Limits withMaxMessageBytes(int v) {
    return new Limits(
        v,
        maxJsonDepth,
        maxContentBytes,
        maxConnections,
        maxRooms,
        publishRatePerSecond,
        publishBurst,
        maxRateViolations);
  }

  public Limits withMaxJsonDepth(int v) {
    return new Limits(
        maxMessageBytes,
        v,
        maxContentBytes,
        maxConnections,
        maxRooms,
        publishRatePerSecond,
        publishBurst,
        maxRateViolations);
  }

  public Limits withMaxContentBytes(int v) {
    return new Limits(
        maxMessageBytes,
        maxJsonDepth,
        v,
        maxConnections,
        maxRooms,
        publishRatePerSecond,
        publishBurst,
        maxRateViolations);
  }

  public Limits withMaxConnections(int v) {
    return new Limits(
        maxMessageBytes,
        maxJsonDepth,
        maxContentBytes,
        v,
        maxRooms,
        publishRatePerSecond,
        publishBurst,
        maxRateViolations);
  }

  public Limits withMaxRooms(int v) {
    return new Limits(
        maxMessageBytes,
        maxJsonDepth,
        maxContentBytes,
        maxConnections,
        v,
        publishRatePerSecond,
        publishBurst,
        maxRateViolations);
  }

  /** Sets the token bucket: {@code ratePerSecond} refill, {@code burst} capacity. */
  public Limits withPublishRate(double ratePerSecond, int burst) {
    return new Limits(
        maxMessageBytes,
        maxJsonDepth,
        maxContentBytes,
        maxConnections,
        maxRooms,
        ratePerSecond,
        burst,
        maxRateViolations);
  }

  public Limits withMaxRateViolations(int v) {
    return new Limits(
        maxMessageBytes,
        maxJsonDepth,
        maxContentBytes,
        maxConnections,
        maxRooms,
        publishRatePerSecond,
        publishBurst,
        v);
  }
}
