package dev.roomcast;

import java.util.regex.Pattern;

/**
 * The room name rule: 1 to 128 characters from {@code A-Z a-z 0-9 _ - . : @}, not starting with a
 * dot. Names arrive URL-decoded from the transport. Anything else is refused, so a room name can
 * never become a path, a key pattern or markup anywhere.
 */
public final class RoomNames {
  /** The room of a bare {@code /}. */
  public static final String DEFAULT_ROOM = "default";

  /** Longest allowed name. */
  public static final int MAX_LENGTH = 128;

  private static final Pattern VALID =
      Pattern.compile("[A-Za-z0-9_\\-:@][A-Za-z0-9_\\-.:@]{0,127}");

  private RoomNames() {}

  /** Whether {@code name} is a valid room name. */
  public static boolean isValid(String name) {
    return name != null && name.length() <= MAX_LENGTH && VALID.matcher(name).matches();
  }

  /**
   * Returns {@code name}, or {@link #DEFAULT_ROOM} for an empty one.
   *
   * @throws JoinRejectedException with close code 1008 and HTTP 400 when invalid
   */
  public static String require(String name) {
    if (name == null || name.isEmpty()) {
      return DEFAULT_ROOM;
    }
    if (!isValid(name)) {
      throw new JoinRejectedException(
          CloseCodes.POLICY_VIOLATION,
          400,
          "invalid room name: use 1-128 characters from A-Z a-z 0-9 _ - . : @, not starting with '.'");
    }
    return name;
  }
}
