package dev.roomcast;

import java.time.Instant;
import java.util.Objects;

/**
 * One member of a room as presence reports it. Immutable.
 *
 * @param clientId the member's client id (kept across resumes with a resume token)
 * @param user the member's authenticated subject, or {@code null} for anonymous members
 * @param name the member's display name, or {@code null}
 * @param joinedAt when the member joined (the first connection, when it resumed on the same hub)
 */
public record PresenceMember(String clientId, String user, String name, Instant joinedAt) {
  public PresenceMember {
    Objects.requireNonNull(clientId, "clientId");
    Objects.requireNonNull(joinedAt, "joinedAt");
  }
}
