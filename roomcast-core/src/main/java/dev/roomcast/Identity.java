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

  /** The identity of an unauthenticated caller on an open server. */
  public static Identity anonymous() {
    return ANONYMOUS;
  }
}
