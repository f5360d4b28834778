package dev.roomcast.cdi.internal;

import dev.roomcast.cdi.RoomcastConfigurationException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one rule for durations in {@code roomcast.*} properties: a whole number with a unit ({@code
 * 500ms}, {@code 15s}, {@code 2m}, {@code 1h}, {@code 1d}), the same text Spring Boot accepts for
 * the same properties, or ISO-8601 ({@code PT15S}), which MicroProfile Config's own {@code
 * Duration} conversion reads. {@code 0} alone means zero. A bare number other than 0 is refused:
 * Spring Boot reads it as milliseconds and the example server's variables as seconds, so guessing
 * would be wrong for half of the readers.
 */
public final class Durations {
  private static final Pattern SIMPLE = Pattern.compile("(\\d{1,18})(ms|s|m|h|d)");

  private Durations() {}

  /**
   * @throws RoomcastConfigurationException naming {@code property} when {@code text} is not a
   *     duration by that rule, or is negative
   */
  public static Duration parse(String property, String text) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    if (t.equals("0")) {
      return Duration.ZERO;
    }
    Matcher m = SIMPLE.matcher(t);
    Duration d;
    if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      try {
        d =
            switch (m.group(2)) {
              case "ms" -> Duration.ofMillis(n);
              case "s" -> Duration.ofSeconds(n);
              case "m" -> Duration.ofMinutes(n);
              case "h" -> Duration.ofHours(n);
              default -> Duration.ofDays(n);
            };
      } catch (ArithmeticException e) {
        throw invalid(property, text);
      }
    } else if (t.startsWith("p") || t.startsWith("-p")) {
      try {
        d = Duration.parse(t.toUpperCase(Locale.ROOT));
      } catch (DateTimeParseException e) {
        throw invalid(property, text);
      }
    } else {
      throw invalid(property, text);
    }
    if (d.isNegative()) {
      throw new RoomcastConfigurationException(
          property, "must not be negative, was '" + text + "'");
    }
    return d;
  }

  private static RoomcastConfigurationException invalid(String property, String text) {
    return new RoomcastConfigurationException(
        property,
        "must be a duration with a unit, like 500ms, 15s, 2m, 1h or PT15S (0 for none), was '"
            + text
            + "'");
  }
}
