package dev.roomcast.example;

import dev.roomcast.AccessDeniedException;
import dev.roomcast.Authenticator;
import dev.roomcast.Identity;
import dev.roomcast.RoomAuthorizer;

/**
 * The example server's security, built from {@link SecurityConfig}: the hub's {@link Authenticator}
 * and {@link RoomAuthorizer}, and the {@code Origin} check for the WebSocket handshake.
 *
 * <p>The authenticator checks the origin too, so the transports that go through {@code
 * Hub.authenticate} without a WebSocket configurator (SSE, HTTP publish) refuse foreign browser
 * origins with 403 as well; then it checks the token when a secret is configured. Immutable and
 * thread-safe.
 */
final class ExampleSecurity {
  private final OriginPolicy origins;
  private final Authenticator authenticator;
  private final RoomAuthorizer authorizer;
  private final boolean refuseAtHandshake;
  private final boolean tokens;

  ExampleSecurity(SecurityConfig config) {
    this.tokens = config.jwt().isPresent();
    this.origins = new OriginPolicy(config.allowedOrigins());
    Authenticator tokens =
        config
            .jwt()
            .<Authenticator>map(TokenAuthenticator::new)
            .orElse(request -> Identity.anonymous());
    this.authenticator =
        request -> {
          if (!origins.test(request.header("Origin"))) {
            throw new AccessDeniedException("origin not allowed");
          }
          return tokens.authenticate(request);
        };
    this.authorizer = new RoomClaimAuthorizer();
    this.refuseAtHandshake = config.refuseAtHandshake();
  }

  Authenticator authenticator() {
    return authenticator;
  }

  RoomAuthorizer authorizer() {
    return authorizer;
  }

  /** For {@code RoomcastEndpointConfig.allowedOrigins}: the container answers 403. */
  boolean originAllowed(String origin) {
    return origins.test(origin);
  }

  boolean refuseAtHandshake() {
    return refuseAtHandshake;
  }

  /** Whether every connection needs a signed token. */
  boolean hasTokens() {
    return tokens;
  }
}
