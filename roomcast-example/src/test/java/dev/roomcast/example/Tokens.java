package dev.roomcast.example;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.function.UnaryOperator;

/** Mints test tokens the way an application's login service would. */
final class Tokens {
  static final String SECRET = "test-secret-that-is-long-enough-for-hs256!";
  static final String ISSUER = "https://login.example.com";
  static final String AUDIENCE = "roomcast";

  private Tokens() {}

  /** Valid for a minute, for {@code sub}, with the configured issuer and audience. */
  static JWTClaimsSet.Builder claims(String sub) {
    return new JWTClaimsSet.Builder()
        .subject(sub)
        .issuer(ISSUER)
        .audience(AUDIENCE)
        .expirationTime(Date.from(Instant.now().plus(Duration.ofMinutes(1))));
  }

  static String sign(JWTClaimsSet claims) {
    return sign(claims, SECRET, JWSAlgorithm.HS256);
  }

  static String sign(JWTClaimsSet claims, String secret, JWSAlgorithm alg) {
    try {
      SignedJWT jwt = new SignedJWT(new JWSHeader(alg), claims);
      jwt.sign(new MACSigner(secret.getBytes(StandardCharsets.UTF_8)));
      return jwt.serialize();
    } catch (JOSEException e) {
      throw new AssertionError(e);
    }
  }

  static String token(String sub, UnaryOperator<JWTClaimsSet.Builder> edit) {
    return sign(edit.apply(claims(sub)).build());
  }

  static String token(String sub) {
    return token(sub, b -> b);
  }

  /** An unsigned token ({@code alg: none}). */
  static String unsigned(String sub) {
    return new PlainJWT(claims(sub).build()).serialize();
  }
}
