package dev.roomcast.cdi;

import dev.roomcast.Authenticator;
import dev.roomcast.HandshakeRequest;
import dev.roomcast.Identity;
import java.security.Principal;
import java.util.Map;

/**
 * The default {@link Authenticator} of roomcast-cdi: the caller the server authenticated before the
 * handshake (Jakarta Security, a {@code security-constraint}, any container login) becomes the
 * roomcast {@link Identity}, with the principal's name as its subject; a handshake nobody
 * authenticated is {@link Identity#anonymous()}. Whether anonymous callers get in at all is the
 * application's security configuration (a {@code security-constraint} on the endpoint's path makes
 * the server answer 401 before roomcast sees the request), not this class.
 *
 * <p>Replace it by giving the application an {@code Authenticator} bean of its own. Stateless and
 * thread-safe.
 */
public final class PrincipalAuthenticator implements Authenticator {
  @Override
  public Identity authenticate(HandshakeRequest request) {
    Principal p = request.principal();
    if (p == null || p.getName() == null || p.getName().isBlank()) {
      return Identity.anonymous();
    }
    return new Identity(p.getName(), Map.of());
  }
}
