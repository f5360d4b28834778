package dev.roomcast;

/**
 * Limits a hub enforces on every transport. Immutable; start from {@link #defaults()} or {@link
 * #builder()}, change a copy with {@link #toBuilder()} or the {@code with...} shortcuts. Every
 * value is checked when the record is built.
 *
 * @param maxMessageBytes largest inbound text frame in bytes; larger closes with 1009 (64 KiB)
 * @param maxJsonDepth deepest nesting of an inbound JSON frame; deeper gets an error frame (32)
 * @param maxContentBytes largest {@code content} value in bytes of compact JSON; larger gets an
 *     error frame (32 KiB)
 * @param maxConnections most open connections per hub; above it joins are refused with 1013 / 503
 *     (10,000)
 * @param maxRooms most rooms with local members per hub; above it joins into new rooms are refused
 *     with 1013 / 503 (10,000)
 * @param publishRatePerSecond sustained publishes per connection per second (token bucket refill);
 *     faster senders are slowed down, not dropped (100)
 * @param publishBurst token bucket size: messages published at once before the rate applies (200)
 * @param maxQueuedMessages messages of one connection that may wait for the publish rate (or for a
 *     {@link MessageHandler}); one more closes the connection with 1008 (1,000). Their bytes also
 *     count against the hub-wide {@link OutboxLimits#maxTotalBytes()}.
 */
public record Limits(
    int maxMessageBytes,
    int maxJsonDepth,
    int maxContentBytes,
    int maxConnections,
    int maxRooms,
    double publishRatePerSecond,
    int publishBurst,
    int maxQueuedMessages) {

  private static final Limits DEFAULTS =
      new Limits(64 * 1024, 32, 32 * 1024, 10_000, 10_000, 100, 200, 1_000);

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
    positive("maxQueuedMessages", maxQueuedMessages);
  }

  private static void positive(String name, long value) {
    if (value < 1) {
      throw new IllegalArgumentException(name + " must be >= 1, was " + value);
    }
  }

  /** The defaults listed on the record components. */
  public static Limits defaults() {
    return DEFAULTS;
  }

  /** A builder starting from the defaults. */
  public static Builder builder() {
    return DEFAULTS.toBuilder();
  }

  /** A builder starting from these limits. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  public Limits withMaxMessageBytes(int v) {
    return toBuilder().maxMessageBytes(v).build();
  }

  public Limits withMaxJsonDepth(int v) {
    return toBuilder().maxJsonDepth(v).build();
  }

  public Limits withMaxContentBytes(int v) {
    return toBuilder().maxContentBytes(v).build();
  }

  public Limits withMaxConnections(int v) {
    return toBuilder().maxConnections(v).build();
  }

  public Limits withMaxRooms(int v) {
    return toBuilder().maxRooms(v).build();
  }

  /** Sets the token bucket: {@code ratePerSecond} refill, {@code burst} capacity. */
  public Limits withPublishRate(double ratePerSecond, int burst) {
    return toBuilder().publishRate(ratePerSecond, burst).build();
  }

  public Limits withMaxQueuedMessages(int v) {
    return toBuilder().maxQueuedMessages(v).build();
  }

  /**
   * Builds {@link Limits}; each setter means what the record component of that name means, and
   * {@link #build()} checks the values. Not thread-safe.
   */
  public static final class Builder {
    private int maxMessageBytes;
    private int maxJsonDepth;
    private int maxContentBytes;
    private int maxConnections;
    private int maxRooms;
    private double publishRatePerSecond;
    private int publishBurst;
    private int maxQueuedMessages;

    private Builder(Limits from) {
      maxMessageBytes = from.maxMessageBytes;
      maxJsonDepth = from.maxJsonDepth;
      maxContentBytes = from.maxContentBytes;
      maxConnections = from.maxConnections;
      maxRooms = from.maxRooms;
      publishRatePerSecond = from.publishRatePerSecond;
      publishBurst = from.publishBurst;
      maxQueuedMessages = from.maxQueuedMessages;
    }

    public Builder maxMessageBytes(int v) {
      maxMessageBytes = v;
      return this;
    }

    public Builder maxJsonDepth(int v) {
      maxJsonDepth = v;
      return this;
    }

    public Builder maxContentBytes(int v) {
      maxContentBytes = v;
      return this;
    }

    public Builder maxConnections(int v) {
      maxConnections = v;
      return this;
    }

    public Builder maxRooms(int v) {
      maxRooms = v;
      return this;
    }

    public Builder publishRate(double ratePerSecond, int burst) {
      publishRatePerSecond = ratePerSecond;
      publishBurst = burst;
      return this;
    }

    public Builder maxQueuedMessages(int v) {
      maxQueuedMessages = v;
      return this;
    }

    /**
     * @throws IllegalArgumentException naming the first value out of range
     */
    public Limits build() {
      return new Limits(
          maxMessageBytes,
          maxJsonDepth,
          maxContentBytes,
          maxConnections,
          maxRooms,
          publishRatePerSecond,
          publishBurst,
          maxQueuedMessages);
    }
  }
}
