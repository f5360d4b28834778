package dev.roomcast.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class WireCodecTimestampTest {

  @Test
  void handParsedTimestampsAgreeWithInstantParse() {
    SplittableRandom rnd = new SplittableRandom(42);
    for (int i = 0; i < 100_000; i++) {
      long seconds = rnd.nextLong(-62_000_000_000L, 250_000_000_000L); // years ~0035..9892
      int nanos =
          switch (i % 4) {
            case 0 -> 0;
            case 1 -> rnd.nextInt(1000) * 1_000_000;
            case 2 -> rnd.nextInt(1_000_000) * 1000;
            default -> rnd.nextInt(1_000_000_000);
          };
      String iso = Instant.ofEpochSecond(seconds, nanos).toString();
      assertEquals(Instant.parse(iso).toEpochMilli(), WireCodec.epochMillis(iso), iso);
    }
  }

  @Test
  void otherShapesGiveWhatInstantParseGives() {
    for (String s :
        new String[] {
          "2026-11-28T03:30:00.5Z",
          "+12026-11-28T03:30:00Z",
          "2026-02-30T03:30:00Z",
          "2026-11-28T24:00:00Z",
          "2026-11-28T03:30:00.Z",
          "2026-11-28T03:30:60Z",
          "2026-11-28 03:30:00Z",
          "2026-11-28T03:30:00.1234567890Z",
          "2026-13-28T03:30:00Z",
          "yesterday",
          ""
        }) {
      assertEquals(reference(s), WireCodec.epochMillis(s), s);
    }
  }

  private static long reference(String s) {
    try {
      return Instant.parse(s).toEpochMilli();
    } catch (java.time.format.DateTimeParseException e) {
      return -1;
    }
  }
}
