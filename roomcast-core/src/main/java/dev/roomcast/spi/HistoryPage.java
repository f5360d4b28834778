package dev.roomcast.spi;

import java.util.List;
import java.util.Objects;

/**
 * The answer to a history read after a given position.
 *
 * @param epoch the room's current epoch
 * @param headOffset the room's last assigned offset when the read was served (0 if none)
 * @param messages messages after the requested offset, in offset order, contiguous
 * @param complete {@code true} when {@code messages} is everything after the requested offset up to
 *     {@code headOffset} in the requested epoch; {@code false} when the epoch differs or the
 *     history no longer reaches back far enough (the caller must report "not recovered")
 */
public record HistoryPage(
    String epoch, long headOffset, List<RoomMessage> messages, boolean complete) {

  public HistoryPage {
    Objects.requireNonNull(epoch, "epoch");
    messages = List.copyOf(messages);
  }

  /** A page that says the requested position cannot be recovered. */
  public static HistoryPage notRecoverable(String epoch, long headOffset) {
    return new HistoryPage(epoch, headOffset, List.of(), false);
  }
}
