package dev.roomcast.cdi.internal;

import dev.roomcast.Hub;
import dev.roomcast.Limits;
import dev.roomcast.NoticePolicy;
import dev.roomcast.OutboxLimits;
import dev.roomcast.cdi.RoomcastConfigurationException;
import dev.roomcast.jakarta.RoomcastEndpointConfig;
import dev.roomcast.jakarta.sse.SseConfig;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import org.eclipse.microprofile.config.Config;

/**
 * Every {@code roomcast.*} property, read once and checked at once: a bad value is a {@link
 * RoomcastConfigurationException} naming the property, before anything is deployed. Names and
 * defaults are shared with the Spring Boot starter; defaults come from the library's own ({@link
 * Limits#defaults()}, {@link OutboxLimits#defaults()}, {@link RoomcastEndpointConfig}, {@link
 * SseConfig}). Durations follow {@link Durations}. Immutable.
 */
public final class Settings {
  public static final String WEBSOCKET_PATH = "roomcast.websocket.path";
  public static final String SSE_ENABLED = "roomcast.sse.enabled";
  public static final String SSE_PATH = "roomcast.sse.path";
  public static final String SSE_HEARTBEAT = "roomcast.sse.heartbeat";
  public static final String HTTP_PUBLISH_ENABLED = "roomcast.http-publish.enabled";
  public static final String BACKPLANE = "roomcast.backplane";
  public static final String REDIS_URL = "roomcast.redis.url";
  public static final String NOTICES = "roomcast.notices";
  public static final String MAX_MESSAGE_BYTES = "roomcast.limits.max-message-bytes";
  public static final String MAX_JSON_DEPTH = "roomcast.limits.max-json-depth";
  public static final String MAX_CONTENT_BYTES = "roomcast.limits.max-content-bytes";
  public static final String MAX_CONNECTIONS = "roomcast.limits.max-connections";
  public static final String MAX_ROOMS = "roomcast.limits.max-rooms";
  public static final String PUBLISH_RATE = "roomcast.limits.publish-rate";
  public static final String PUBLISH_BURST = "roomcast.limits.publish-burst";
  public static final String MAX_QUEUED_MESSAGES = "roomcast.limits.max-queued-messages";
  public static final String OUTBOX_MAX_FRAMES = "roomcast.outbox.max-frames";
  public static final String OUTBOX_MAX_BYTES = "roomcast.outbox.max-bytes";
  public static final String PING_INTERVAL = "roomcast.keepalive.ping-interval";
  public static final String PONG_TIMEOUT = "roomcast.keepalive.pong-timeout";
  public static final String MAX_CONNECTION_AGE = "roomcast.max-connection-age";
  public static final String MAX_CONNECTION_AGE_JITTER = "roomcast.max-connection-age-jitter";
  public static final String DRAIN_TIME = "roomcast.drain.time";
  public static final String ALLOWED_ORIGINS = "roomcast.allowed-origins";
  public static final String REFUSE_AT_HANDSHAKE = "roomcast.refuse-at-handshake";
  public static final String RESUME_SECRET = "roomcast.session.resume-secret";
  public static final String RESUME_GRACE = "roomcast.session.resume-grace";
  public static final String MAX_HISTORY_ON_JOIN = "roomcast.session.max-history-on-join";
  public static final String HANDLER_TIMEOUT = "roomcast.session.handler-timeout";

  /** Which backplane {@link #BACKPLANE} names. */
  public enum Backplane {
    MEMORY,
    REDIS
  }

  private final RoomcastEndpointConfig endpoint;
  private final boolean sseEnabled;
  private final String ssePath;
  private final SseConfig sse;
  private final Backplane backplane;
  private final String redisUrl;
  private final NoticePolicy notices;
  private final Limits limits;
  private final OutboxLimits outbox;
  private final Duration maxConnectionAge;
  private final Duration maxConnectionAgeJitter;
  private final Duration drainTime;
  private final OriginList origins;
  private final byte[] resumeSecret;
  private final Duration resumeGrace;
  private final int maxHistoryOnJoin;
  private final Duration handlerTimeout;

  private Settings(Function<String, Optional<String>> source) {
    Reader r = new Reader(source);
    this.origins = OriginList.parse(ALLOWED_ORIGINS, r.text(ALLOWED_ORIGINS).orElse(null));
    RoomcastEndpointConfig.Builder e = RoomcastEndpointConfig.builder();
    String wsPath = r.text(WEBSOCKET_PATH).orElse("/ws");
    try {
      e.path(wsPath);
    } catch (IllegalArgumentException ex) {
      throw new RoomcastConfigurationException(WEBSOCKET_PATH, ex.getMessage());
    }
    Duration ping = r.duration(PING_INTERVAL, Duration.ofSeconds(30));
    Duration pong = r.duration(PONG_TIMEOUT, Duration.ofSeconds(10));
    r.check(PING_INTERVAL, () -> e.pingInterval(ping));
    r.check(PONG_TIMEOUT, () -> e.pongTimeout(pong));
    e.allowedOrigins(origins);
    e.refuseAtHandshake(r.bool(REFUSE_AT_HANDSHAKE, true));
    this.endpoint = e.build();

    this.sseEnabled = r.bool(SSE_ENABLED, true);
    this.ssePath = r.text(SSE_PATH).orElse("/events");
    if (!ssePath.matches("/[A-Za-z0-9._~!$&'()*+,;=:@/-]*") || ssePath.endsWith("/")) {
      throw new RoomcastConfigurationException(
          SSE_PATH, "must be a plain path like /events (starting with /, not ending with one)");
    }
    if (sseEnabled && ssePath.equals(wsPath)) {
      throw new RoomcastConfigurationException(
          SSE_PATH, "must differ from " + WEBSOCKET_PATH + ", both were '" + ssePath + "'");
    }
    Duration heartbeat = r.duration(SSE_HEARTBEAT, SseConfig.defaults().heartbeat());
    SseConfig.Builder s = SseConfig.builder();
    r.check(SSE_HEARTBEAT, () -> s.heartbeat(heartbeat));
    this.sse = s.build();

    if (r.bool(HTTP_PUBLISH_ENABLED, false)) {
      throw new RoomcastConfigurationException(
          HTTP_PUBLISH_ENABLED,
          "is not supported by roomcast-cdi: publish from your own JAX-RS resource with the"
              + " injected Hub (see docs/embedding.md)");
    }

    String bp = r.text(BACKPLANE).orElse("memory").trim().toLowerCase(Locale.ROOT);
    this.backplane =
        switch (bp) {
          case "memory" -> Backplane.MEMORY;
          case "redis" -> Backplane.REDIS;
          default ->
              throw new RoomcastConfigurationException(
                  BACKPLANE, "must be memory or redis, was '" + bp + "'");
        };
    this.redisUrl = r.text(REDIS_URL).map(String::trim).orElse(null);
    if (backplane == Backplane.REDIS && redisUrl == null) {
      throw new RoomcastConfigurationException(
          REDIS_URL, "must be set when " + BACKPLANE + "=redis (redis://host:6379)");
    }

    String noticeText = r.text(NOTICES).orElse("on");
    try {
      this.notices = NoticePolicy.parse(noticeText);
    } catch (IllegalArgumentException ex) {
      throw new RoomcastConfigurationException(
          NOTICES, "must be on, off or a room size, was '" + noticeText + "'");
    }

    Limits d = Limits.defaults();
    int maxMessageBytes = r.positiveInt(MAX_MESSAGE_BYTES, d.maxMessageBytes());
    int maxJsonDepth = r.positiveInt(MAX_JSON_DEPTH, d.maxJsonDepth());
    int maxContentBytes = r.positiveInt(MAX_CONTENT_BYTES, d.maxContentBytes());
    int maxConnections = r.positiveInt(MAX_CONNECTIONS, d.maxConnections());
    int maxRooms = r.positiveInt(MAX_ROOMS, d.maxRooms());
    double rate = r.positiveNumber(PUBLISH_RATE, d.publishRatePerSecond());
    int burst = r.positiveInt(PUBLISH_BURST, d.publishBurst());
    int violations = r.positiveInt(MAX_QUEUED_MESSAGES, d.maxQueuedMessages());
    this.limits =
        new Limits(
            maxMessageBytes,
            maxJsonDepth,
            maxContentBytes,
            maxConnections,
            maxRooms,
            rate,
            burst,
            violations);
    OutboxLimits o = OutboxLimits.defaults();
    this.outbox =
        new OutboxLimits(
            r.positiveInt(OUTBOX_MAX_FRAMES, o.maxFrames()),
            r.positiveLong(OUTBOX_MAX_BYTES, o.maxBytes()));

    Duration age = r.duration(MAX_CONNECTION_AGE, Duration.ZERO);
    this.maxConnectionAge = age.isZero() ? null : age;
    // as the example server: a tenth of the age, so connections opened together spread out
    Duration jitter = r.duration(MAX_CONNECTION_AGE_JITTER, age.dividedBy(10));
    if (maxConnectionAge != null && jitter.compareTo(age) >= 0) {
      throw new RoomcastConfigurationException(
          MAX_CONNECTION_AGE_JITTER,
          "must be less than " + MAX_CONNECTION_AGE + " (" + age + "), was " + jitter);
    }
    this.maxConnectionAgeJitter = jitter;
    this.drainTime = r.duration(DRAIN_TIME, Duration.ofSeconds(5));
    String secret = r.text(RESUME_SECRET).orElse(null);
    if (secret != null && !secret.isBlank()) {
      byte[] b = secret.getBytes(java.nio.charset.StandardCharsets.UTF_8);
      if (b.length < 32) {
        // never the value: it is a secret
        throw new RoomcastConfigurationException(
            RESUME_SECRET, "must be at least 32 bytes, was " + b.length + " bytes");
      }
      this.resumeSecret = b;
    } else {
      this.resumeSecret = null;
    }
    this.resumeGrace = r.duration(RESUME_GRACE, Duration.ofSeconds(5));
    this.maxHistoryOnJoin = r.positiveInt(MAX_HISTORY_ON_JOIN, 100);
    this.handlerTimeout = r.duration(HANDLER_TIMEOUT, Duration.ofSeconds(5));
  }

  /** Reads MicroProfile Config. */
  public static Settings from(Config config) {
    return new Settings(name -> config.getOptionalValue(name, String.class));
  }

  /** Reads any source of property values (tests: a map). */
  public static Settings from(Function<String, Optional<String>> source) {
    return new Settings(source);
  }

  /** The WebSocket endpoint's path, keepalive, origins and handshake refusals. */
  public RoomcastEndpointConfig endpoint() {
    return endpoint;
  }

  public boolean sseEnabled() {
    return sseEnabled;
  }

  /** The SSE base path: rooms at {@code ssePath()/{room}}. */
  public String ssePath() {
    return ssePath;
  }

  public SseConfig sse() {
    return sse;
  }

  public Backplane backplane() {
    return backplane;
  }

  /** The Redis URL; {@code null} unless set. May hold a password: never log it. */
  public String redisUrl() {
    return redisUrl;
  }

  /** How long the 1012 closes of a drain are spread over. */
  public Duration drainTime() {
    return drainTime;
  }

  /** Applies the hub's settings: limits, outbox bounds, notices, max connection age. */
  public Hub.Builder applyTo(Hub.Builder builder) {
    builder.limits(limits).outboxLimits(outbox).notices(notices);
    try {
      builder.resumeGrace(resumeGrace);
    } catch (IllegalArgumentException e) {
      throw new RoomcastConfigurationException(RESUME_GRACE, e.getMessage());
    }
    try {
      builder.maxHistoryOnJoin(maxHistoryOnJoin);
    } catch (IllegalArgumentException e) {
      throw new RoomcastConfigurationException(MAX_HISTORY_ON_JOIN, e.getMessage());
    }
    try {
      builder.handlerTimeout(handlerTimeout);
    } catch (IllegalArgumentException e) {
      throw new RoomcastConfigurationException(HANDLER_TIMEOUT, e.getMessage());
    }
    if (resumeSecret != null) {
      builder.resumeSecret(resumeSecret);
    }
    if (maxConnectionAge != null) {
      builder.maxConnectionAge(maxConnectionAge, maxConnectionAgeJitter);
    }
    return builder;
  }

  public Limits limits() {
    return limits;
  }

  public OutboxLimits outbox() {
    return outbox;
  }

  public NoticePolicy notices() {
    return notices;
  }

  /** The max connection age, or {@code null} when off. */
  public Duration maxConnectionAge() {
    return maxConnectionAge;
  }

  /** One line for the startup log; no secrets. */
  @Override
  public String toString() {
    return "websocket="
        + endpoint.path()
        + " sse="
        + (sseEnabled ? ssePath : "off")
        + " backplane="
        + backplane.name().toLowerCase(Locale.ROOT)
        + " notices="
        + notices
        + " limits="
        + limits
        + " outbox="
        + outbox.maxFrames()
        + " frames/"
        + outbox.maxBytes()
        + " bytes ping="
        + endpoint.pingInterval()
        + " pongTimeout="
        + endpoint.pongTimeout()
        + " maxConnectionAge="
        + (maxConnectionAge == null
            ? "off"
            : maxConnectionAge + " jitter " + maxConnectionAgeJitter)
        + " drain="
        + drainTime
        + " origins="
        + origins
        + " refuseAtHandshake="
        + endpoint.refuseAtHandshake();
  }

  /** Typed reads with errors that name the property. */
  private static final class Reader {
    private final Function<String, Optional<String>> source;

    Reader(Function<String, Optional<String>> source) {
      this.source = source;
    }

    /** The value, absent when unset or blank (MicroProfile Config treats "" as unset too). */
    Optional<String> text(String name) {
      return source.apply(name).filter(v -> !v.isBlank());
    }

    boolean bool(String name, boolean dflt) {
      Optional<String> v = text(name);
      if (v.isEmpty()) {
        return dflt;
      }
      String t = v.get().trim().toLowerCase(Locale.ROOT);
      if (t.equals("true")) {
        return true;
      }
      if (t.equals("false")) {
        return false;
      }
      throw new RoomcastConfigurationException(
          name, "must be true or false, was '" + v.get() + "'");
    }

    int positiveInt(String name, int dflt) {
      long v = positiveLong(name, dflt);
      if (v > Integer.MAX_VALUE) {
        throw new RoomcastConfigurationException(
            name, "must be at most " + Integer.MAX_VALUE + ", was " + v);
      }
      return (int) v;
    }

    long positiveLong(String name, long dflt) {
      Optional<String> v = text(name);
      if (v.isEmpty()) {
        return dflt;
      }
      long n;
      try {
        n = Long.parseLong(v.get().trim());
      } catch (NumberFormatException e) {
        throw new RoomcastConfigurationException(
            name, "must be a whole number, was '" + v.get() + "'");
      }
      if (n < 1) {
        throw new RoomcastConfigurationException(name, "must be at least 1, was " + n);
      }
      return n;
    }

    double positiveNumber(String name, double dflt) {
      Optional<String> v = text(name);
      if (v.isEmpty()) {
        return dflt;
      }
      double n;
      try {
        n = Double.parseDouble(v.get().trim());
      } catch (NumberFormatException e) {
        throw new RoomcastConfigurationException(name, "must be a number, was '" + v.get() + "'");
      }
      if (!(n > 0) || Double.isInfinite(n)) {
        throw new RoomcastConfigurationException(
            name, "must be a positive number, was '" + v.get() + "'");
      }
      return n;
    }

    Duration duration(String name, Duration dflt) {
      return text(name).map(v -> Durations.parse(name, v)).orElse(dflt);
    }

    /** Runs a library setter, turning its refusal into an error naming the property. */
    void check(String name, Runnable setter) {
      try {
        setter.run();
      } catch (IllegalArgumentException e) {
        throw new RoomcastConfigurationException(name, e.getMessage());
      }
    }
  }
}
