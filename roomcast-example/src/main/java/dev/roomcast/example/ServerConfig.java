package dev.roomcast.example;

import dev.roomcast.Limits;
import dev.roomcast.NoticePolicy;
import dev.roomcast.OutboxLimits;
import dev.roomcast.grizzly.EdgeConfig;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.logging.Level;

/**
 * The example server's configuration, read from environment variables (see {@code
 * docs/operations.md}). Immutable. {@link #fromEnv} checks every value and names the variable in
 * its error.
 *
 * @param bindAddress {@code ROOMCAST_BIND_ADDRESS}, default {@code 0.0.0.0}
 * @param port {@code PORT}, default 8080 (0 picks a free port)
 * @param notices {@code ROOMCAST_NOTICES}: {@code on}, {@code off} or the largest room that gets
 *     join/leave notices; default on
 * @param maxMessageBytes {@code ROOMCAST_MAX_MESSAGE_BYTES}, default 65536
 * @param maxConnections {@code ROOMCAST_MAX_CONNECTIONS}, default 10000
 * @param publishRate {@code ROOMCAST_PUBLISH_RATE}: sustained messages per second one connection
 *     may publish, default 20
 * @param publishBurst {@code ROOMCAST_PUBLISH_BURST}: messages one connection may publish at once
 *     above the rate, default 40
 * @param outboxMaxFrames {@code ROOMCAST_OUTBOX_MAX_FRAMES}, default 1024
 * @param outboxMaxBytes {@code ROOMCAST_OUTBOX_MAX_BYTES}, default 1048576
 * @param pingInterval {@code ROOMCAST_PING_INTERVAL_SECONDS}, default 30 (0 turns pings off)
 * @param pongTimeout {@code ROOMCAST_PONG_TIMEOUT_SECONDS}, default 10
 * @param drainTime {@code ROOMCAST_DRAIN_SECONDS}: how long SIGTERM spreads the 1012 closes over,
 *     default 5
 * @param logLevel {@code LOG_LEVEL}: {@code debug}, {@code info}, {@code warn} or {@code error};
 *     default info
 * @param redisUrl {@code REDIS_URL}: selects the Redis backplane; unset means in-memory
 * @param sseHeartbeat {@code ROOMCAST_SSE_HEARTBEAT_SECONDS}: a {@code : heartbeat} comment on
 *     every Server-Sent Events stream this often, default 15 (0 turns heartbeats off)
 * @param maxJsonDepth {@code ROOMCAST_MAX_JSON_DEPTH}: deepest nesting of an inbound frame, default
 *     32
 * @param maxContentBytes {@code ROOMCAST_MAX_CONTENT_BYTES}: largest {@code content}, default 32768
 * @param maxRooms {@code ROOMCAST_MAX_ROOMS}: most rooms with members on this instance, default
 *     10000
 * @param maxQueuedMessages {@code ROOMCAST_MAX_QUEUED_MESSAGES}: messages of one connection that
 *     may wait for the publish rate; one more closes it with 1008, default 1000
 * @param security authentication and origin settings ({@link SecurityConfig})
 * @param maxConnectionAge {@code ROOMCAST_MAX_CONNECTION_AGE_SECONDS}: connections are closed with
 *     4001 (resumable) near this age; {@link Duration#ZERO} (the default) means never
 * @param maxConnectionAgeJitter {@code ROOMCAST_MAX_CONNECTION_AGE_JITTER_SECONDS}: each connection
 *     is closed at a random point in the last this-long before {@code maxConnectionAge}; default a
 *     tenth of it
 * @param edge per-client limits at the edge: addresses, timeouts, write queues, HTTP publish rate,
 *     metrics access ({@link EdgeConfig})
 * @param memory heap budgets for outboxes, inbound messages and history ({@link MemoryConfig})
 * @param session resume tokens, the resume grace and history on join ({@link SessionConfig})
 * @param redisTopology {@code REDIS_CLUSTER_NODES} or {@code REDIS_SHARDS} ({@link RedisTopology})
 */
public record ServerConfig(
    String bindAddress,
    int port,
    NoticePolicy notices,
    int maxMessageBytes,
    int maxConnections,
    int publishRate,
    int publishBurst,
    int outboxMaxFrames,
    long outboxMaxBytes,
    Duration pingInterval,
    Duration pongTimeout,
    Duration drainTime,
    Level logLevel,
    Optional<String> redisUrl,
    Duration sseHeartbeat,
    int maxJsonDepth,
    int maxContentBytes,
    int maxRooms,
    int maxQueuedMessages,
    SecurityConfig security,
    Duration maxConnectionAge,
    Duration maxConnectionAgeJitter,
    EdgeConfig edge,
    MemoryConfig memory,
    SessionConfig session,
    RedisTopology redisTopology) {

  public ServerConfig {
    Objects.requireNonNull(bindAddress, "bindAddress");
    Objects.requireNonNull(notices, "notices");
    Objects.requireNonNull(pingInterval, "pingInterval");
    Objects.requireNonNull(pongTimeout, "pongTimeout");
    Objects.requireNonNull(drainTime, "drainTime");
    Objects.requireNonNull(logLevel, "logLevel");
    Objects.requireNonNull(redisUrl, "redisUrl");
    Objects.requireNonNull(sseHeartbeat, "sseHeartbeat");
    Objects.requireNonNull(security, "security");
    Objects.requireNonNull(maxConnectionAge, "maxConnectionAge");
    Objects.requireNonNull(maxConnectionAgeJitter, "maxConnectionAgeJitter");
    Objects.requireNonNull(edge, "edge");
    Objects.requireNonNull(redisTopology, "redisTopology");
    Objects.requireNonNull(memory, "memory");
    Objects.requireNonNull(session, "session");
    if (!maxConnectionAge.isZero() && maxConnectionAgeJitter.compareTo(maxConnectionAge) >= 0) {
      throw new IllegalArgumentException(
          "maxConnectionAgeJitter must be less than maxConnectionAge ("
              + maxConnectionAge
              + "), was "
              + maxConnectionAgeJitter);
    }
  }

  /** Every default, as if no variable were set. */
  public static ServerConfig defaults() {
    return fromEnv(Map.of());
  }

  /**
   * Reads the configuration from environment variables; unset or blank variables take their
   * defaults.
   *
   * @param env the environment, e.g. {@code System.getenv()}
   * @throws ConfigException naming the first variable with a bad value
   */
  public static ServerConfig fromEnv(Map<String, String> env) {
    Env e = new Env(env);
    Limits limitDefaults = Limits.defaults();
    OutboxLimits outboxDefaults = OutboxLimits.defaults();
    String bind = e.string("ROOMCAST_BIND_ADDRESS", "0.0.0.0");
    int port = e.integer("PORT", 8080, 0, 65535);
    NoticePolicy notices = e.notices("ROOMCAST_NOTICES");
    int maxMessageBytes =
        e.integer(
            "ROOMCAST_MAX_MESSAGE_BYTES", limitDefaults.maxMessageBytes(), 64, 16 * 1024 * 1024);
    int maxConnections =
        e.integer("ROOMCAST_MAX_CONNECTIONS", limitDefaults.maxConnections(), 1, Integer.MAX_VALUE);
    int publishRate =
        e.integer(
            "ROOMCAST_PUBLISH_RATE",
            (int) Math.round(limitDefaults.publishRatePerSecond()),
            1,
            1_000_000);
    int publishBurst =
        e.integer("ROOMCAST_PUBLISH_BURST", limitDefaults.publishBurst(), 1, 1_000_000);
    int outboxFrames =
        e.integer("ROOMCAST_OUTBOX_MAX_FRAMES", outboxDefaults.maxFrames(), 1, Integer.MAX_VALUE);
    long outboxBytes =
        e.longInteger(
            "ROOMCAST_OUTBOX_MAX_BYTES", outboxDefaults.maxBytes(), 1, 1L << 40 /* 1 TiB */);
    int ping = e.integer("ROOMCAST_PING_INTERVAL_SECONDS", 30, 0, 86_400);
    int pong = e.integer("ROOMCAST_PONG_TIMEOUT_SECONDS", 10, 1, 86_400);
    int drain = e.integer("ROOMCAST_DRAIN_SECONDS", 5, 0, 3_600);
    Level level = e.logLevel("LOG_LEVEL");
    String redis = e.string("REDIS_URL", null);
    int sseHeartbeat = e.integer("ROOMCAST_SSE_HEARTBEAT_SECONDS", 15, 0, 3_600);
    int maxJsonDepth =
        e.integer("ROOMCAST_MAX_JSON_DEPTH", limitDefaults.maxJsonDepth(), 1, MAX_JSON_DEPTH);
    int maxContentBytes =
        e.integer(
            "ROOMCAST_MAX_CONTENT_BYTES", limitDefaults.maxContentBytes(), 2, 16 * 1024 * 1024);
    int maxRooms = e.integer("ROOMCAST_MAX_ROOMS", limitDefaults.maxRooms(), 1, Integer.MAX_VALUE);
    int maxQueuedMessages =
        e.integer("ROOMCAST_MAX_QUEUED_MESSAGES", limitDefaults.maxQueuedMessages(), 1, 1_000_000);
    SecurityConfig security = SecurityConfig.fromEnv(env);
    // Cloud Run cuts every request, WebSockets included, at its timeout (at most 60 min): closing
    // a little earlier with 4001, spread out, lets clients resume on their own terms.
    int maxAge = e.integer("ROOMCAST_MAX_CONNECTION_AGE_SECONDS", 0, 0, 7 * 86_400);
    int maxAgeJitter =
        e.integer("ROOMCAST_MAX_CONNECTION_AGE_JITTER_SECONDS", maxAge / 10, 0, 7 * 86_400);
    if (maxAge > 0 && maxAgeJitter >= maxAge) {
      throw new ConfigException(
          "ROOMCAST_MAX_CONNECTION_AGE_JITTER_SECONDS",
          "must be less than ROOMCAST_MAX_CONNECTION_AGE_SECONDS ("
              + maxAge
              + "), was "
              + maxAgeJitter);
    }
    return new Builder()
        .bindAddress(bind)
        .port(port)
        .notices(notices)
        .maxMessageBytes(maxMessageBytes)
        .maxConnections(maxConnections)
        .publishRate(publishRate)
        .publishBurst(publishBurst)
        .outboxMaxFrames(outboxFrames)
        .outboxMaxBytes(outboxBytes)
        .pingInterval(Duration.ofSeconds(ping))
        .pongTimeout(Duration.ofSeconds(pong))
        .drainTime(Duration.ofSeconds(drain))
        .logLevel(level)
        .redisUrl(Optional.ofNullable(redis))
        .sseHeartbeat(Duration.ofSeconds(sseHeartbeat))
        .maxJsonDepth(maxJsonDepth)
        .maxContentBytes(maxContentBytes)
        .maxRooms(maxRooms)
        .maxQueuedMessages(maxQueuedMessages)
        .security(security)
        .maxConnectionAge(Duration.ofSeconds(maxAge))
        .maxConnectionAgeJitter(Duration.ofSeconds(maxAge == 0 ? 0 : maxAgeJitter))
        .edge(EdgeVariables.fromEnv(env))
        .memory(MemoryConfig.fromEnv(env))
        .session(SessionConfig.fromEnv(env))
        .redisTopology(RedisTopology.fromEnv(env, Optional.ofNullable(redis)))
        .build();
  }

  /**
   * Deepest {@code ROOMCAST_MAX_JSON_DEPTH} accepted: Jackson's own default ceiling, and far more
   * than any chat message needs.
   */
  static final int MAX_JSON_DEPTH = 1000;

  /** A builder holding every default, as if no variable were set. */
  public static Builder builder() {
    return builder(defaults());
  }

  /**
   * A builder starting from {@code base}: change what differs and {@link Builder#build()} a new
   * configuration; {@code base} is not changed.
   */
  public static Builder builder(ServerConfig base) {
    return new Builder(base);
  }

  /**
   * Builds a {@link ServerConfig} by component name, from an existing one ({@link
   * ServerConfig#builder(ServerConfig)}) or from the environment ({@link #fromEnv}). {@link
   * #build()} checks the whole configuration. Not thread-safe.
   */
  public static final class Builder {
    private String bindAddress;
    private int port;
    private NoticePolicy notices;
    private int maxMessageBytes;
    private int maxConnections;
    private int publishRate;
    private int publishBurst;
    private int outboxMaxFrames;
    private long outboxMaxBytes;
    private Duration pingInterval;
    private Duration pongTimeout;
    private Duration drainTime;
    private Level logLevel;
    private Optional<String> redisUrl;
    private Duration sseHeartbeat;
    private int maxJsonDepth;
    private int maxContentBytes;
    private int maxRooms;
    private int maxQueuedMessages;
    private SecurityConfig security;
    private Duration maxConnectionAge;
    private Duration maxConnectionAgeJitter;
    private EdgeConfig edge;
    private MemoryConfig memory;
    private SessionConfig session;
    private RedisTopology redisTopology;

    private Builder() {}

    private Builder(ServerConfig base) {
      this.bindAddress = base.bindAddress;
      this.port = base.port;
      this.notices = base.notices;
      this.maxMessageBytes = base.maxMessageBytes;
      this.maxConnections = base.maxConnections;
      this.publishRate = base.publishRate;
      this.publishBurst = base.publishBurst;
      this.outboxMaxFrames = base.outboxMaxFrames;
      this.outboxMaxBytes = base.outboxMaxBytes;
      this.pingInterval = base.pingInterval;
      this.pongTimeout = base.pongTimeout;
      this.drainTime = base.drainTime;
      this.logLevel = base.logLevel;
      this.redisUrl = base.redisUrl;
      this.sseHeartbeat = base.sseHeartbeat;
      this.maxJsonDepth = base.maxJsonDepth;
      this.maxContentBytes = base.maxContentBytes;
      this.maxRooms = base.maxRooms;
      this.maxQueuedMessages = base.maxQueuedMessages;
      this.security = base.security;
      this.maxConnectionAge = base.maxConnectionAge;
      this.maxConnectionAgeJitter = base.maxConnectionAgeJitter;
      this.edge = base.edge;
      this.memory = base.memory;
      this.session = base.session;
      this.redisTopology = base.redisTopology;
    }

    /** See {@link ServerConfig#bindAddress()}. */
    public Builder bindAddress(String bindAddress) {
      this.bindAddress = bindAddress;
      return this;
    }

    /** See {@link ServerConfig#port()}. */
    public Builder port(int port) {
      this.port = port;
      return this;
    }

    /** See {@link ServerConfig#notices()}. */
    public Builder notices(NoticePolicy notices) {
      this.notices = notices;
      return this;
    }

    /** See {@link ServerConfig#maxMessageBytes()}. */
    public Builder maxMessageBytes(int maxMessageBytes) {
      this.maxMessageBytes = maxMessageBytes;
      return this;
    }

    /** See {@link ServerConfig#maxConnections()}. */
    public Builder maxConnections(int maxConnections) {
      this.maxConnections = maxConnections;
      return this;
    }

    /** See {@link ServerConfig#publishRate()}. */
    public Builder publishRate(int publishRate) {
      this.publishRate = publishRate;
      return this;
    }

    /** See {@link ServerConfig#publishBurst()}. */
    public Builder publishBurst(int publishBurst) {
      this.publishBurst = publishBurst;
      return this;
    }

    /** See {@link ServerConfig#outboxMaxFrames()}. */
    public Builder outboxMaxFrames(int outboxMaxFrames) {
      this.outboxMaxFrames = outboxMaxFrames;
      return this;
    }

    /** See {@link ServerConfig#outboxMaxBytes()}. */
    public Builder outboxMaxBytes(long outboxMaxBytes) {
      this.outboxMaxBytes = outboxMaxBytes;
      return this;
    }

    /** See {@link ServerConfig#pingInterval()}. */
    public Builder pingInterval(Duration pingInterval) {
      this.pingInterval = pingInterval;
      return this;
    }

    /** See {@link ServerConfig#pongTimeout()}. */
    public Builder pongTimeout(Duration pongTimeout) {
      this.pongTimeout = pongTimeout;
      return this;
    }

    /** See {@link ServerConfig#drainTime()}. */
    public Builder drainTime(Duration drainTime) {
      this.drainTime = drainTime;
      return this;
    }

    /** See {@link ServerConfig#logLevel()}. */
    public Builder logLevel(Level logLevel) {
      this.logLevel = logLevel;
      return this;
    }

    /** See {@link ServerConfig#redisUrl()}. */
    public Builder redisUrl(Optional<String> redisUrl) {
      this.redisUrl = redisUrl;
      return this;
    }

    /** See {@link ServerConfig#sseHeartbeat()}. */
    public Builder sseHeartbeat(Duration sseHeartbeat) {
      this.sseHeartbeat = sseHeartbeat;
      return this;
    }

    /** See {@link ServerConfig#maxJsonDepth()}. */
    public Builder maxJsonDepth(int maxJsonDepth) {
      this.maxJsonDepth = maxJsonDepth;
      return this;
    }

    /** See {@link ServerConfig#maxContentBytes()}. */
    public Builder maxContentBytes(int maxContentBytes) {
      this.maxContentBytes = maxContentBytes;
      return this;
    }

    /** See {@link ServerConfig#maxRooms()}. */
    public Builder maxRooms(int maxRooms) {
      this.maxRooms = maxRooms;
      return this;
    }

    /** See {@link ServerConfig#maxQueuedMessages()}. */
    public Builder maxQueuedMessages(int maxQueuedMessages) {
      this.maxQueuedMessages = maxQueuedMessages;
      return this;
    }

    /** See {@link ServerConfig#security()}. */
    public Builder security(SecurityConfig security) {
      this.security = security;
      return this;
    }

    /** See {@link ServerConfig#maxConnectionAge()}. */
    public Builder maxConnectionAge(Duration maxConnectionAge) {
      this.maxConnectionAge = maxConnectionAge;
      return this;
    }

    /** See {@link ServerConfig#maxConnectionAgeJitter()}. */
    public Builder maxConnectionAgeJitter(Duration maxConnectionAgeJitter) {
      this.maxConnectionAgeJitter = maxConnectionAgeJitter;
      return this;
    }

    /** See {@link ServerConfig#edge()}. */
    public Builder edge(EdgeConfig edge) {
      this.edge = edge;
      return this;
    }

    /** See {@link ServerConfig#session()}. */
    public Builder session(SessionConfig session) {
      this.session = session;
      return this;
    }

    /** See {@link ServerConfig#redisTopology()}. */
    public Builder redisTopology(RedisTopology redisTopology) {
      this.redisTopology = redisTopology;
      return this;
    }

    /** See {@link ServerConfig#memory()}. */
    public Builder memory(MemoryConfig memory) {
      this.memory = memory;
      return this;
    }

    /**
     * The configuration.
     *
     * @throws NullPointerException when a component is missing
     * @throws IllegalArgumentException when the connection age jitter is not below the age
     */
    public ServerConfig build() {
      return new ServerConfig(
          bindAddress,
          port,
          notices,
          maxMessageBytes,
          maxConnections,
          publishRate,
          publishBurst,
          outboxMaxFrames,
          outboxMaxBytes,
          pingInterval,
          pongTimeout,
          drainTime,
          logLevel,
          redisUrl,
          sseHeartbeat,
          maxJsonDepth,
          maxContentBytes,
          maxRooms,
          maxQueuedMessages,
          security,
          maxConnectionAge,
          maxConnectionAgeJitter,
          edge,
          memory,
          session,
          redisTopology);
    }
  }

  /** The hub limits this configuration asks for. */
  public Limits limits() {
    return Limits.defaults()
        .withMaxMessageBytes(maxMessageBytes)
        .withMaxConnections(maxConnections)
        .withPublishRate(publishRate, publishBurst)
        .withMaxJsonDepth(maxJsonDepth)
        .withMaxContentBytes(maxContentBytes)
        .withMaxRooms(maxRooms)
        .withMaxQueuedMessages(maxQueuedMessages);
  }

  /** The outbox bounds this configuration asks for. */
  public OutboxLimits outboxLimits() {
    return new OutboxLimits(outboxMaxFrames, outboxMaxBytes, memory.outboxTotalBytes());
  }

  /** The limits part of the startup log line. */
  public String summary() {
    return "limits: maxMessageBytes="
        + maxMessageBytes
        + " maxConnections="
        + maxConnections
        + " maxRooms="
        + maxRooms
        + " maxJsonDepth="
        + maxJsonDepth
        + " maxContentBytes="
        + maxContentBytes
        + " publish="
        + publishRate
        + "/s burst "
        + publishBurst
        + " outbox="
        + outboxMaxFrames
        + " frames/"
        + outboxMaxBytes
        + " bytes, maxQueuedMessages="
        + maxQueuedMessages
        + ", "
        + security.summary()
        + ", notices="
        + notices
        + ", ping="
        + pingInterval.toSeconds()
        + "s pongTimeout="
        + pongTimeout.toSeconds()
        + "s drain="
        + drainTime.toSeconds()
        + "s sseHeartbeat="
        + sseHeartbeat.toSeconds()
        + "s, maxConnectionAge="
        + (maxConnectionAge.isZero()
            ? "off"
            : maxConnectionAge.toSeconds() + "s jitter " + maxConnectionAgeJitter.toSeconds() + "s")
        + ", "
        + edge.summary()
        + ", "
        + memory.summary()
        + ", "
        + session.summary();
  }

  /** Reads and checks single variables. */
  static final class Env {
    private final Map<String, String> env;

    Env(Map<String, String> env) {
      this.env = Objects.requireNonNull(env, "env");
    }

    String raw(String name) {
      String v = env.get(name);
      return v == null || v.isBlank() ? null : v.trim();
    }

    String string(String name, String fallback) {
      String v = raw(name);
      return v == null ? fallback : v;
    }

    long longInteger(String name, long fallback, long min, long max) {
      String v = raw(name);
      if (v == null) {
        return fallback;
      }
      long value;
      try {
        value = Long.parseLong(v.replace("_", ""));
      } catch (NumberFormatException ex) {
        throw new ConfigException(name, "must be a whole number, was '" + v + "'");
      }
      if (value < min || value > max) {
        throw new ConfigException(
            name, "must be between " + min + " and " + max + ", was " + value);
      }
      return value;
    }

    int integer(String name, int fallback, int min, int max) {
      return (int) longInteger(name, fallback, min, max);
    }

    boolean bool(String name, boolean fallback) {
      String v = raw(name);
      if (v == null) {
        return fallback;
      }
      switch (v.toLowerCase(Locale.ROOT)) {
        case "true":
        case "yes":
        case "on":
        case "1":
          return true;
        case "false":
        case "no":
        case "off":
        case "0":
          return false;
        default:
          throw new ConfigException(name, "must be true or false, was '" + v + "'");
      }
    }

    NoticePolicy notices(String name) {
      String v = raw(name);
      if (v == null) {
        return NoticePolicy.always();
      }
      try {
        return NoticePolicy.parse(v);
      } catch (IllegalArgumentException ex) {
        throw new ConfigException(
            name, "must be on, off, or the largest room size that gets notices, was '" + v + "'");
      }
    }

    Level logLevel(String name) {
      String v = raw(name);
      if (v == null) {
        return Level.INFO;
      }
      switch (v.toLowerCase(Locale.ROOT)) {
        case "trace":
          return Level.FINEST;
        case "debug":
        case "fine":
          return Level.FINE;
        case "info":
          return Level.INFO;
        case "warn":
        case "warning":
          return Level.WARNING;
        case "error":
        case "severe":
          return Level.SEVERE;
        default:
          throw new ConfigException(
              name, "must be one of trace, debug, info, warn, error, was '" + v + "'");
      }
    }
  }
}
