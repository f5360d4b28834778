package dev.roomcast.internal;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Issues and checks the resume tokens that let a reconnecting client keep its client id: {@code
 * v1.<payload>.<mac>}, where the payload (room, client id, user, expiry) is base64url text and the
 * mac its HMAC-SHA256 under the hub's secret. Every hub with the same secret accepts every other's
 * tokens, which is what lets a client resume on any instance.
 *
 * <p>Thread-safe: a {@link Mac} is made per call (they are not thread-safe and cheap to make).
 */
final class ResumeTokens {
  private static final String PREFIX = "v1.";
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder B64D = Base64.getUrlDecoder();
  private static final int MAX_TOKEN_LENGTH = 1024;

  private final SecretKeySpec key;
  private final Clock clock;
  private final Duration lifetime;

  /** What a presented token was found to be. */
  record Check(String clientId, String refusal) {
    boolean valid() {
      return clientId != null;
    }
  }

  ResumeTokens(byte[] secret, Clock clock, Duration lifetime) {
    this.key = new SecretKeySpec(secret.clone(), "HmacSHA256");
    this.clock = clock;
    this.lifetime = lifetime;
  }

  String issue(String room, String clientId, String user) {
    long expires = clock.instant().plus(lifetime).getEpochSecond();
    String payload =
        B64.encodeToString(
            (room + "\n" + clientId + "\n" + (user == null ? "" : user) + "\n" + expires)
                .getBytes(StandardCharsets.UTF_8));
    return PREFIX + payload + "." + B64.encodeToString(mac(payload));
  }

  /** Checks a token presented for {@code room} by {@code user} ({@code null}: anonymous). */
  Check check(String token, String room, String user) {
    if (token.length() > MAX_TOKEN_LENGTH || !token.startsWith(PREFIX)) {
      return refused("invalid");
    }
    int dot = token.indexOf('.', PREFIX.length());
    if (dot < 0) {
      return refused("invalid");
    }
    String payload = token.substring(PREFIX.length(), dot);
    byte[] presented;
    String[] fields;
    try {
      presented = B64D.decode(token.substring(dot + 1));
      fields = new String(B64D.decode(payload), StandardCharsets.UTF_8).split("\n", -1);
    } catch (IllegalArgumentException e) {
      return refused("invalid");
    }
    if (!MessageDigest.isEqual(presented, mac(payload)) || fields.length != 4) {
      return refused("invalid");
    }
    long expires;
    try {
      expires = Long.parseLong(fields[3]);
    } catch (NumberFormatException e) {
      return refused("invalid");
    }
    if (clock.instant().getEpochSecond() > expires) {
      return refused("expired");
    }
    if (!fields[0].equals(room)) {
      return refused("issued for another room");
    }
    if (!fields[2].equals(user == null ? "" : user)) {
      return refused("issued to another user");
    }
    return new Check(fields[1], null);
  }

  private static Check refused(String why) {
    return new Check(null, why);
  }

  private byte[] mac(String payload) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      return mac.doFinal(payload.getBytes(StandardCharsets.US_ASCII));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 unavailable", e);
    }
  }
}
