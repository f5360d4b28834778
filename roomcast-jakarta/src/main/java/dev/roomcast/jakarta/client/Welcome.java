package dev.roomcast.jakarta.client;

import com.fasterxml.jackson.databind.JsonNode;
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
 *     resume position follows, {@code false} when some could not be recovered (a gap the client
 *     cannot fill; it continues from {@code position})
 * @param resumedFrom the position this connection asked to resume from, if any
 * @param frame the whole frame as received
 */
public record Welcome(
    String clientId,
    String room,
    Optional<StreamPosition> position,
    Optional<Boolean> recovered,
    Optional<StreamPosition> resumedFrom,
    JsonNode frame) {

  /** Whether this connection resumed an earlier one (asked to, whatever the outcome). */
  public boolean isResume() {
    return resumedFrom.isPresent();
  }
}
