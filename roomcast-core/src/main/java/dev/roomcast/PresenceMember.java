package dev.roomcast;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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

  /** Presence order: by join time, then client id (join times have millisecond precision). */
  public static final Comparator<PresenceMember> ORDER =
      Comparator.comparing(PresenceMember::joinedAt).thenComparing(PresenceMember::clientId);

  /**
   * Entries gathered from several places (nodes, connections) as one roster: one entry per client
   * id, the latest join winning (a client that resumed elsewhere counts once), in {@link #ORDER}.
   */
  public static List<PresenceMember> roster(Iterable<PresenceMember> entries) {
    Map<String, PresenceMember> latest = new HashMap<>();
    for (PresenceMember m : entries) {
      latest.merge(m.clientId(), m, (a, b) -> a.joinedAt().isAfter(b.joinedAt()) ? a : b);
    }
    List<PresenceMember> out = new ArrayList<>(latest.values());
    out.sort(ORDER);
    return out;
  }
}
