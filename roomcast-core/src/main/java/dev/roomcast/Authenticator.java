package dev.roomcast;

/**
 * Decides who a connection attempt is, at the handshake, for every transport (WebSocket, SSE, HTTP
 * publish). Implementations must be thread-safe and fast (no blocking I/O on the container's
 * threads if avoidable).
 *
 * <p>The default, {@link #open()}, lets everyone in as {@link Identity#anonymous()}, as the seed
 * server does.
 */
@FunctionalInterface
public interface Authenticator {

  /**
   * @return the caller's identity
   * @throws AuthenticationException to refuse: transports answer 401 at the handshake, or close
   *     with 1008 right after open where the container cannot refuse a handshake. An authenticator
   *     may also throw {@link AccessDeniedException} (403 / 1008), e.g. for a foreign {@code
   *     Origin}. Messages reach the client: keep them short and free of secrets.
   */
  Identity authenticate(HandshakeRequest request) throws AuthenticationException;

  /** Everyone is anonymous and allowed in. */
  static Authenticator open() {
    return request -> Identity.anonymous();
  }
}
