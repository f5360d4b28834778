package dev.roomcast;

/**
 * Bounds of the frames a hub holds for its connections. When a frame would push one connection's
 * queue past {@code maxFrames} or {@code maxBytes}, or all queues together past {@code
 * maxTotalBytes}, that connection is closed with {@link CloseCodes#SLOW_CONSUMER} (resumable):
 * memory stays bounded and the rest of the room is unaffected.
 *
 * @param maxFrames the most queued frames per connection, at least 1 (default 1024)
 * @param maxBytes the most queued payload bytes per connection, at least 1 (default 1 MiB)
 * @param maxTotalBytes the most payload bytes queued for all of the hub's connections together,
 *     each broadcast frame counted once however many queues hold it, at least 1 (default an eighth
 *     of the JVM's maximum heap, at least 8 MiB: 16 MiB in a JVM capped by {@code -XX:MaxRAM=512m})
 */
public record OutboxLimits(int maxFrames, long maxBytes, long maxTotalBytes) {
  public OutboxLimits {
    if (maxFrames < 1) {
      throw new IllegalArgumentException("outbox maxFrames must be >= 1, was " + maxFrames);
    }
    if (maxBytes < 1) {
      throw new IllegalArgumentException("outbox maxBytes must be >= 1, was " + maxBytes);
    }
    if (maxTotalBytes < 1) {
      throw new IllegalArgumentException("outbox maxTotalBytes must be >= 1, was " + maxTotalBytes);
    }
  }

  /** Per-connection bounds, with the default hub-wide bound. */
  public OutboxLimits(int maxFrames, long maxBytes) {
    this(maxFrames, maxBytes, defaultMaxTotalBytes());
  }

  /** 1024 frames and 1 MiB per connection; an eighth of the heap for all of them. */
  public static OutboxLimits defaults() {
    return new OutboxLimits(1024, 1L << 20);
  }

  /** The same per-connection bounds with another hub-wide bound. */
  public OutboxLimits withMaxTotalBytes(long maxTotalBytes) {
    return new OutboxLimits(maxFrames, maxBytes, maxTotalBytes);
  }

  /** An eighth of the JVM's maximum heap, at least 8 MiB. */
  public static long defaultMaxTotalBytes() {
    return Math.max(8L << 20, Runtime.getRuntime().maxMemory() / 8);
  }
}
