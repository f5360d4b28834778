package dev.roomcast.spring.boot.autoconfigure;

import dev.roomcast.Authenticator;
import dev.roomcast.HandshakeRequest;
import dev.roomcast.Identity;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.springframework.security.authentication.AuthenticationTrustResolver;
import org.springframework.security.authentication.AuthenticationTrustResolverImpl;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * Makes the request's Spring Security principal the roomcast {@link Identity}: subject = {@link
 * Authentication#getName()}, claim {@value #AUTHORITIES} = the granted authorities' names (a {@code
 * List<String>}). An unauthenticated or anonymous request becomes {@link Identity#anonymous()}:
 * whether anonymous callers get this far is the application's {@code SecurityFilterChain}'s
 * decision, not this class's.
 *
 * <p>It reads the {@link SecurityContextHolder} of the thread that runs the handshake. That is the
 * request's thread, inside Spring Security's filter chain, for the WebSocket upgrade on Tomcat and
 * on Jetty (both run the filters Boot registers, Spring Security's included, before their WebSocket
 * upgrade; {@code SecurityContract} checks it on each), and for SSE and HTTP publish requests. Any
 * {@link Authenticator} bean of the application's own replaces this one.
 *
 * <p>Stateless and thread-safe.
 */
public final class SpringSecurityAuthenticator implements Authenticator {
  /** The claim holding the principal's authorities, e.g. {@code ["ROLE_USER"]}. */
  public static final String AUTHORITIES = "authorities";

  private final AuthenticationTrustResolver trust = new AuthenticationTrustResolverImpl();

  @Override
  public Identity authenticate(HandshakeRequest request) {
    Authentication a = SecurityContextHolder.getContext().getAuthentication();
    if (a == null || !a.isAuthenticated() || trust.isAnonymous(a)) {
      return Identity.anonymous();
    }
    List<String> authorities =
        a.getAuthorities().stream()
            .map(GrantedAuthority::getAuthority)
            .filter(Objects::nonNull)
            .toList();
    return new Identity(a.getName(), Map.of(AUTHORITIES, authorities));
  }
}
