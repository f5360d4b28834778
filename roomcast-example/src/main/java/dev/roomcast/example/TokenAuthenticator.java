package dev.roomcast.example;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.ImmutableSecret;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import com.nimbusds.jwt.proc.ExpiredJWTException;
import dev.roomcast.AuthenticationException;
import dev.roomcast.Authenticator;
import dev.roomcast.HandshakeRequest;
import dev.roomcast.Identity;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Checks an HS256-signed JWT on every connection attempt (WebSocket, SSE, HTTP publish), with
 * Nimbus JOSE+JWT doing the signature and claim checks.
 *
 * <p>The token comes from {@code Authorization: Bearer <token>}, or else from the {@code token}
 * query parameter (browsers cannot set headers on a WebSocket). It must be signed with HS256 and
 * the configured secret (no other algorithm, no unsigned tokens), carry {@code exp} and not be
 * expired (60 s clock skew), and match the configured {@code iss} and {@code aud} if set. An
 * optional {@code rooms} claim (a room name or pattern, or a list of them; {@code *} matches any
 * run of characters) limits the rooms the caller may join and publish in ({@link
 * RoomClaimAuthorizer}); a malformed one refuses the token.
 *
 * <p>The identity's subject is {@code sub} ({@code "token"} if absent); its claims are the token's.
 * Refusals are {@link AuthenticationException}s (401, or 1008 after open) with short messages that
 * say what to fix and nothing about the key; the details are logged at FINE.
 *
 * <p>Thread-safe: the Nimbus processor is configured once and only read afterwards.
 */
final class TokenAuthenticator implements Authenticator {
  /** Query parameter carrying the token for clients that cannot set headers. */
  static final String TOKEN_PARAM = "token";

  /** Longer tokens are refused unparsed: nobody needs 4 KiB of claims to chat. */
  static final int MAX_TOKEN_CHARS = 4 * 1024;

  private static final Logger LOG = Logger.getLogger(TokenAuthenticator.class.getName());

  private final DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();

  TokenAuthenticator(SecurityConfig.Jwt config) {
    processor.setJWSKeySelector(
        new JWSVerificationKeySelector<>(
            JWSAlgorithm.HS256, new ImmutableSecret<>(config.secret())));
    JWTClaimsSet.Builder exact = new JWTClaimsSet.Builder();
    if (config.issuer() != null) {
      exact.issuer(config.issuer());
    }
    processor.setJWTClaimsSetVerifier(
        new DefaultJWTClaimsVerifier<>(
            config.audience() == null ? null : Set.of(config.audience()),
            exact.build(),
            Set.of("exp"),
            null));
  }

  @Override
  public Identity authenticate(HandshakeRequest request) {
    String token = request.bearerToken();
    if (token == null) {
      token = request.queryParam(TOKEN_PARAM);
    }
    if (token == null || token.isBlank()) {
      throw new AuthenticationException("missing token");
    }
    if (token.length() > MAX_TOKEN_CHARS) {
      throw new AuthenticationException("invalid token");
    }
    JWTClaimsSet claims;
    try {
      claims = processor.process(token.trim(), null);
    } catch (ExpiredJWTException e) {
      throw new AuthenticationException("token expired");
    } catch (java.text.ParseException | BadJOSEException | com.nimbusds.jose.JOSEException e) {
      LOG.log(Level.FINE, "token refused", e);
      throw new AuthenticationException("invalid token");
    }
    try {
      RoomClaimAuthorizer.patterns(claims.getClaim(RoomClaimAuthorizer.ROOMS_CLAIM));
    } catch (IllegalArgumentException e) {
      throw new AuthenticationException("invalid token: " + e.getMessage());
    }
    String subject = claims.getSubject() != null ? claims.getSubject() : "token";
    return new Identity(subject, nonNullClaims(claims));
  }

  /** Identity claims may not hold nulls; a claim set to JSON null is as good as absent. */
  private static Map<String, Object> nonNullClaims(JWTClaimsSet claims) {
    Map<String, Object> out = new HashMap<>();
    claims
        .getClaims()
        .forEach(
            (k, v) -> {
              if (v instanceof List<?> l) {
                out.put(k, l.stream().filter(java.util.Objects::nonNull).toList());
              } else if (v != null) {
                out.put(k, v);
              }
            });
    return out;
  }
}
