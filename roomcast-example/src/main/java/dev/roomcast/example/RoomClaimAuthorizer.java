package dev.roomcast.example;

import dev.roomcast.Identity;
import dev.roomcast.RoomAuthorizer;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Restricts joins and publishes to the rooms a token's {@code rooms} claim names. Without the claim
 * (or for anonymous callers on an open server) everything is allowed.
 *
 * <p>The claim is a string or a list of strings, each a room name or a pattern in which {@code *}
 * matches any run of characters: {@code ["lobby", "team-42-*"]}; {@code "*"} allows every room. An
 * empty list allows none. Stateless and thread-safe; patterns are matched without regular
 * expressions, in time linear in their length times the room's.
 */
final class RoomClaimAuthorizer implements RoomAuthorizer {
  /** The claim naming the caller's rooms. */
  static final String ROOMS_CLAIM = "rooms";

  private static final Pattern VALID = Pattern.compile("[A-Za-z0-9_\\-.:@*]{1,128}");
  private static final int MAX_PATTERNS = 1000;

  @Override
  public boolean allows(Identity who, String room, Action action) {
    Object claim = who.claims().get(ROOMS_CLAIM);
    if (claim == null) {
      return true;
    }
    for (String p : patterns(claim)) {
      if (matches(p, room)) {
        return true;
      }
    }
    return false;
  }

  /**
   * The claim's patterns; {@code null} (no claim) gives none.
   *
   * @throws IllegalArgumentException when the claim is neither a pattern nor a list of them
   */
  static List<String> patterns(Object claim) {
    if (claim == null) {
      return List.of();
    }
    List<?> items = claim instanceof List<?> l ? l : List.of(claim);
    if (items.size() > MAX_PATTERNS) {
      throw new IllegalArgumentException("rooms claim has too many entries");
    }
    for (Object item : items) {
      if (!(item instanceof String s) || !VALID.matcher(s).matches()) {
        throw new IllegalArgumentException(
            "rooms claim must be room names or patterns (A-Z a-z 0-9 _ - . : @ *)");
      }
    }
    @SuppressWarnings("unchecked")
    List<String> strings = (List<String>) items;
    return strings;
  }

  /**
   * Glob match where {@code *} is any run (possibly empty) of characters; nothing else is special.
   */
  static boolean matches(String pattern, String name) {
    int p = 0;
    int n = 0;
    int star = -1;
    int mark = 0;
    while (n < name.length()) {
      if (p < pattern.length() && pattern.charAt(p) != '*' && pattern.charAt(p) == name.charAt(n)) {
        p++;
        n++;
      } else if (p < pattern.length() && pattern.charAt(p) == '*') {
        star = p++;
        mark = n;
      } else if (star >= 0) {
        p = star + 1;
        n = ++mark;
      } else {
        return false;
      }
    }
    while (p < pattern.length() && pattern.charAt(p) == '*') {
      p++;
    }
    return p == pattern.length();
  }
}
