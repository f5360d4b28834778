package dev.roomcast.example;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Who may connect to the example server, read from environment variables (see {@code
 * docs/security.md}). Immutable. Open by default, like the seed server: no token needed, any
 * origin.
 *
 * @param jwt {@code ROOMCAST_JWT_SECRET} (with {@code ROOMCAST_JWT_ISSUER} / {@code
 *     ROOMCAST_JWT_AUDIENCE}): when set, every connection needs a valid HS256 token
 * @param allowedOrigins {@code ROOMCAST_ALLOWED_ORIGINS}: browser origins that may connect; empty
 *     means any ({@code *} or unset)
 * @param refuseAtHandshake {@code ROOMCAST_REFUSE_AT_HANDSHAKE}: {@code true} (default) answers
 *     refused WebSocket handshakes with 400/401/403; {@code false} opens and closes them with 1008
 *     and a reason, which browser clients can see
 */
public record SecurityConfig(
    Optional<Jwt> jwt, List<String> allowedOrigins, boolean refuseAtHandshake) {

  /** Fewest secret bytes for HS256 (RFC 7518 §3.2: a key of at least the hash's size). */
  public static final int MIN_SECRET_BYTES = 32;

  public SecurityConfig {
    Objects.requireNonNull(jwt, "jwt");
    allowedOrigins = List.copyOf(allowedOrigins);
  }

  /** No token, any origin, refusals as HTTP statuses. */
  public static SecurityConfig open() {
    return new SecurityConfig(Optional.empty(), List.of(), true);
  }

  /**
   * The signed-token settings. {@link #toString()} never shows the secret.
   *
   * @param secret the HMAC key: the UTF-8 bytes of {@code ROOMCAST_JWT_SECRET}, at least 32
   * @param issuer required {@code iss}, or {@code null} for any
   * @param audience required {@code aud} (one of the token's), or {@code null} for any
   */
  public record Jwt(byte[] secret, String issuer, String audience) {
    public Jwt {
      Objects.requireNonNull(secret, "secret");
      if (secret.length < MIN_SECRET_BYTES) {
        throw new IllegalArgumentException("secret must be at least 32 bytes");
      }
      secret = secret.clone();
    }

    @Override
    public byte[] secret() {
      return secret.clone();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Jwt j
          && Arrays.equals(secret, j.secret)
          && Objects.equals(issuer, j.issuer)
          && Objects.equals(audience, j.audience);
    }

    @Override
    public int hashCode() {
      return Objects.hash(Arrays.hashCode(secret), issuer, audience);
    }

    @Override
    public String toString() {
      return "Jwt[secret=("
          + secret.length
          + " bytes), issuer="
          + issuer
          + ", audience="
          + audience
          + "]";
    }
  }

  /**
   * Reads the security variables.
   *
   * @throws ConfigException naming the first variable with a bad value
   */
  static SecurityConfig fromEnv(Map<String, String> env) {
    ServerConfig.Env e = new ServerConfig.Env(env);
    Optional<Jwt> jwt = Optional.empty();
    String secret = e.raw("ROOMCAST_JWT_SECRET");
    String issuer = e.raw("ROOMCAST_JWT_ISSUER");
    String audience = e.raw("ROOMCAST_JWT_AUDIENCE");
    if (secret != null) {
      byte[] key = secret.getBytes(StandardCharsets.UTF_8);
      if (key.length < MIN_SECRET_BYTES) {
        // never echo the value: it is a secret
        throw new ConfigException(
            "ROOMCAST_JWT_SECRET",
            "must be at least "
                + MIN_SECRET_BYTES
                + " bytes (HS256), was "
                + key.length
                + "; e.g. openssl rand -base64 48");
      }
      jwt = Optional.of(new Jwt(key, issuer, audience));
    } else if (issuer != null || audience != null) {
      throw new ConfigException(
          issuer != null ? "ROOMCAST_JWT_ISSUER" : "ROOMCAST_JWT_AUDIENCE",
          "needs ROOMCAST_JWT_SECRET: tokens are only checked when a secret is set");
    }
    List<String> origins =
        OriginPolicy.parse("ROOMCAST_ALLOWED_ORIGINS", e.raw("ROOMCAST_ALLOWED_ORIGINS"));
    boolean refuse = e.bool("ROOMCAST_REFUSE_AT_HANDSHAKE", true);
    return new SecurityConfig(jwt, origins, refuse);
  }

  /** For the startup log line; no secrets. */
  String summary() {
    return "auth="
        + jwt.map(
                j ->
                    "jwt(HS256"
                        + (j.issuer() != null ? " iss=" + j.issuer() : "")
                        + (j.audience() != null ? " aud=" + j.audience() : "")
                        + ")")
            .orElse("open")
        + " origins="
        + (allowedOrigins.isEmpty() ? "*" : String.join(",", allowedOrigins));
  }
}
