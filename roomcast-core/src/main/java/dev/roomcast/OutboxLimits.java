package dev.roomcast;

/**
 * Bounds of each connection's outbox. When a frame would push the queue past either bound, the
 * connection is closed with {@link CloseCodes#SLOW_CONSUMER} (resumable): memory stays bounded and
 * the rest of the room is unaffected.
 *
 * @param maxFrames the most queued frames, at least 1 (default 1024)
 * @param maxBytes the most queued payload bytes, at least 1 (default 1 MiB)
 */
public record OutboxLimits(int maxFrames, long maxBytes) {
  public OutboxLimits {
    if (maxFrames < 1) {
      throw new IllegalArgumentException("outbox maxFrames must be >= 1, was " + maxFrames);
    }
    if (maxBytes < 1) {
      throw new IllegalArgumentException("outbox maxBytes must be >= 1, was " + maxBytes);
    }
  }

  /** 1024 frames, 1 MiB. */
  public static OutboxLimits defaults() {
    return new OutboxLimits(1024, 1L << 20);
  }
}
