package dev.roomcast;

import java.util.Map;
import java.util.Objects;

/**
 * Who is connecting, as established by an {@link Authenticator}. Immutable.
 *
 * @param subject a stable name for the caller ({@code "anonymous"} when unauthenticated)
 * @param claims whatever else the authenticator learned (e.g. a token's claims); never null
 */
public record Identity(String subject, Map<String, Object> claims) {
  private static final Identity ANONYMOUS = new Identity("anonymous", Map.of());

  public Identity {
    Objects.requireNonNull(subject, "subject");
    claims = Map.copyOf(claims);
  }

  /** The claim an authenticator may set to give the caller a display name others see. */
  public static final String NAME_CLAIM = "name";

  private static final int MAX_NAME_LENGTH = 64;

  /** Whether this is {@link #anonymous()}: such callers have no {@code user} in frames. */
  public boolean isAnonymous() {
    return equals(ANONYMOUS);
  }

  /** The subject others see in frames ({@code user}), or {@code null} for anonymous callers. */
  public String user() {
    return isAnonymous() ? null : subject;
  }

  /**
   * The display name others see in frames ({@code name}): the {@value #NAME_CLAIM} claim when it is
   * a non-blank string (cut to 64 characters), otherwise {@code null}.
   */
  public String displayName() {
    Object n = claims.get(NAME_CLAIM);
    if (!(n instanceof String s) || s.isBlank()) {
      return null;
    }
    String trimmed = s.strip();
    return trimmed.length() <= MAX_NAME_LENGTH ? trimmed : trimmed.substring(0, MAX_NAME_LENGTH);
  }

  /** The identity of an unauthenticated caller on an open server. */
  public static Identity anonymous() {
    return ANONYMOUS;
  }
}
