package dev.roomcast.client;

import dev.roomcast.StreamPosition;
import java.util.Optional;

/**
 * The first frame of every connection. Immutable.
 *
 * @param clientId this connection's id; messages this client sends come back with it
 * @param room the room joined
 * @param position the history position the connection starts after, when the server could reach its
 *     backplane
 * @param recovered empty for a fresh join; on a resume, {@code true} when every message after the
 *     resume position follows (marked {@link ReceivedMessage#replayed()}), {@code false} when some
 *     could not be recovered (a gap the client cannot fill; it continues from {@code position})
 * @param resumedFrom the position this connection asked to resume from, if any
 * @param timestamp the server's ISO-8601 UTC time of the welcome, or {@code null} when absent
 * @param frameJson the whole frame as received (JSON text), for fields this record does not name
 */
public record Welcome(
    String clientId,
    String room,
    Optional<StreamPosition> position,
    Optional<Boolean> recovered,
    Optional<StreamPosition> resumedFrom,
    String timestamp,
    String frameJson) {

  /** Whether this connection resumed an earlier one (asked to, whatever the outcome). */
  public boolean isResume() {
    return resumedFrom.isPresent();
  }
}
