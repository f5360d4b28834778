package dev.roomcast;

/**
 * When join and leave notices are sent. Filling a room of N members costs N²/2 notices, so large
 * rooms usually turn them off. Immutable and thread-safe.
 */
public final class NoticePolicy {
  private static final NoticePolicy ALWAYS = new NoticePolicy(Integer.MAX_VALUE);
  private static final NoticePolicy NEVER = new NoticePolicy(0);

  private final int maxRoomSize;

  private NoticePolicy(int maxRoomSize) {
    this.maxRoomSize = maxRoomSize;
  }

  /** Notices in every room, as the seed server does. The default. */
  public static NoticePolicy always() {
    return ALWAYS;
  }

  /** No join or leave notices at all. */
  public static NoticePolicy never() {
    return NEVER;
  }

  /**
   * Notices only while the room has at most {@code maxRoomSize} members (counting this node's
   * members).
   *
   * @param maxRoomSize the largest room that still gets notices, at least 1
   */
  public static NoticePolicy belowRoomSize(int maxRoomSize) {
    if (maxRoomSize < 1) {
      throw new IllegalArgumentException("maxRoomSize must be >= 1, was " + maxRoomSize);
    }
    return new NoticePolicy(maxRoomSize);
  }

  /**
   * Parses {@code on}, {@code off} or a number (the largest room that gets notices).
   *
   * @throws IllegalArgumentException on anything else
   */
  public static NoticePolicy parse(String text) {
    String t = text.trim().toLowerCase(java.util.Locale.ROOT);
    switch (t) {
      case "on":
      case "always":
      case "true":
        return always();
      case "off":
      case "never":
      case "false":
        return never();
      default:
        try {
          return belowRoomSize(Integer.parseInt(t));
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException(
              "notice policy must be on, off or a room size, was '" + text + "'", e);
        }
    }
  }

  /** Whether a room with this many local members gets notices. */
  public boolean appliesTo(int roomSize) {
    return roomSize <= maxRoomSize;
  }

  @Override
  public String toString() {
    if (maxRoomSize == Integer.MAX_VALUE) {
      return "on";
    }
    return maxRoomSize == 0 ? "off" : "rooms<=" + maxRoomSize;
  }
}
