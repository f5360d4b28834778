package dev.roomcast.example;

import dev.roomcast.Hub;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * What a client keeps across reconnects and gets when it joins, read from environment variables.
 * Immutable. The secret is never shown in {@link #summary()} or {@link #toString()}.
 *
 * @param resumeSecret {@code ROOMCAST_RESUME_SECRET}: signs the {@code resume_token} in welcomes,
 *     at least 32 bytes; every instance sharing a Redis must have the same one so a client keeps
 *     its client id on any of them; unset means a random secret per process
 * @param resumeGrace {@code ROOMCAST_RESUME_GRACE_SECONDS}: how long a dropped member stays in the
 *     room, waiting to resume, before its leave is announced, default 5 (0 announces at once)
 * @param maxHistoryOnJoin {@code ROOMCAST_MAX_HISTORY_ON_JOIN}: most messages {@code ?history=N}
 *     gives a joining client, default 100 (0: off)
 */
public record SessionConfig(
    Optional<byte[]> resumeSecret, Duration resumeGrace, int maxHistoryOnJoin) {

  /** Every default. */
  public static SessionConfig defaults() {
    return fromEnv(Map.of());
  }

  /**
   * Reads the session variables.
   *
   * @throws ConfigException naming the first variable with a bad value (without its value, for the
   *     secret)
   */
  static SessionConfig fromEnv(Map<String, String> env) {
    ServerConfig.Env e = new ServerConfig.Env(env);
    String secret = e.raw("ROOMCAST_RESUME_SECRET");
    Optional<byte[]> bytes = Optional.empty();
    if (secret != null && !secret.isBlank()) {
      byte[] b = secret.getBytes(StandardCharsets.UTF_8);
      if (b.length < 32) {
        throw new ConfigException(
            "ROOMCAST_RESUME_SECRET", "must be at least 32 bytes, was " + b.length + " bytes");
      }
      bytes = Optional.of(b);
    }
    return new SessionConfig(
        bytes,
        Duration.ofSeconds(e.integer("ROOMCAST_RESUME_GRACE_SECONDS", 5, 0, 600)),
        e.integer("ROOMCAST_MAX_HISTORY_ON_JOIN", 100, 0, 1000));
  }

  /** Applies these settings to a hub being built. */
  void applyTo(Hub.Builder builder) {
    resumeSecret.ifPresent(builder::resumeSecret);
    builder.resumeGrace(resumeGrace).maxHistoryOnJoin(maxHistoryOnJoin);
  }

  /** For the startup log line: never the secret itself. */
  String summary() {
    return "resumeSecret="
        + (resumeSecret.isPresent() ? "set" : "random")
        + " resumeGrace="
        + resumeGrace.toSeconds()
        + "s maxHistoryOnJoin="
        + maxHistoryOnJoin;
  }

  @Override
  public String toString() {
    return "SessionConfig{" + summary() + "}";
  }
}
