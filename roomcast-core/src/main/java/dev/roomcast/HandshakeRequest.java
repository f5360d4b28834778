package dev.roomcast;

import java.security.Principal;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What a transport knows about a connection attempt before it joins a room: the decoded room, the
 * HTTP headers and query parameters, the peer address, and the caller the container already
 * authenticated, if any. Handed to the {@link Authenticator}. Immutable; header names are matched
 * case-insensitively.
 */
public final class HandshakeRequest {
  private final String room;
  private final Map<String, List<String>> headers;
  private final Map<String, List<String>> query;
  private final String remoteAddress;
  private final Principal principal;

  private HandshakeRequest(
      String room,
      Map<String, List<String>> headers,
      Map<String, List<String>> query,
      String remoteAddress,
      Principal principal) {
    this.room = Objects.requireNonNull(room, "room");
    TreeMap<String, List<String>> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    headers.forEach((k, v) -> h.put(k, List.copyOf(v)));
    this.headers = java.util.Collections.unmodifiableMap(h);
    TreeMap<String, List<String>> q = new TreeMap<>();
    query.forEach((k, v) -> q.put(k, List.copyOf(v)));
    this.query = java.util.Collections.unmodifiableMap(q);
    this.remoteAddress = remoteAddress;
    this.principal = principal;
  }

  private HandshakeRequest(HandshakeRequest base, Principal principal) {
    this.room = base.room;
    this.headers = base.headers;
    this.query = base.query;
    this.remoteAddress = base.remoteAddress;
    this.principal = principal;
  }

  /**
   * @param room the room name the client asked for (URL-decoded, not yet validated)
   * @param headers HTTP request headers
   * @param query decoded query parameters
   * @param remoteAddress the peer address, or {@code null} when the container does not say
   */
  public static HandshakeRequest of(
      String room,
      Map<String, List<String>> headers,
      Map<String, List<String>> query,
      String remoteAddress) {
    return new HandshakeRequest(room, headers, query, remoteAddress, null);
  }

  /**
   * This request with the caller the container authenticated before the handshake reached the
   * transport (a servlet container's {@code getUserPrincipal()}: Jakarta Security, a {@code
   * security-constraint}, Spring Security), or {@code null} for none.
   */
  public HandshakeRequest withPrincipal(Principal principal) {
    return new HandshakeRequest(this, principal);
  }

  public String room() {
    return room;
  }

  /** The first value of a header, or {@code null}. */
  public String header(String name) {
    List<String> v = headers.get(name);
    return v == null || v.isEmpty() ? null : v.get(0);
  }

  /** The first value of a query parameter, or {@code null}. */
  public String queryParam(String name) {
    List<String> v = query.get(name);
    return v == null || v.isEmpty() ? null : v.get(0);
  }

  public Map<String, List<String>> headers() {
    return headers;
  }

  public Map<String, List<String>> query() {
    return query;
  }

  /** The bearer token from {@code Authorization: Bearer ...}, or {@code null}. */
  public String bearerToken() {
    String auth = header("Authorization");
    if (auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
      String token = auth.substring(7).trim();
      return token.isEmpty() ? null : token;
    }
    return null;
  }

  public String remoteAddress() {
    return remoteAddress;
  }

  /**
   * The caller the container authenticated, or {@code null} when it authenticated nobody (or the
   * transport cannot tell). An {@link Authenticator} decides what it means; the default {@link
   * Authenticator#open()} ignores it.
   */
  public Principal principal() {
    return principal;
  }

  @Override
  public String toString() {
    return "HandshakeRequest{room="
        + room
        + ", headers="
        + headers.keySet().stream().map(k -> k.toLowerCase(Locale.ROOT)).toList()
        + ", remote="
        + remoteAddress
        + (principal == null ? "" : ", principal=" + principal.getName())
        + "}";
  }
}
