package dev.roomcast.spring.boot.autoconfigure;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.convert.DurationUnit;

/**
 * Every {@code roomcast.*} property of the Spring Boot starter. Defaults are the library's own
 * ({@code Limits.defaults()}, {@code OutboxLimits.defaults()}, {@code RoomcastEndpointConfig} and
 * {@code SseConfig} defaults); a test keeps the two in step. Durations without a unit are seconds
 * ({@code 5} is 5 s; {@code 500ms} works too). Values are checked when the hub is built, and a bad
 * one stops the application with a message that names the property.
 *
 * <p>A plain JavaBean for Spring's binder: not thread-safe, bound once at startup.
 */
@ConfigurationProperties("roomcast")
public class RoomcastProperties {

  /** How rooms are shared between instances. */
  public enum BackplaneType {
    /** This instance only: rooms and history live in this JVM. */
    MEMORY,
    /** Redis, connected with Spring Boot's {@code spring.data.redis.*} settings. */
    REDIS
  }

  /**
   * Which backplane shares rooms between instances: memory (this instance only) or redis (built
   * from spring.data.redis.*; needs roomcast-redis on the class path).
   */
  private BackplaneType backplane = BackplaneType.MEMORY;

  /** Join/leave notices: on, off, or the largest room (local members) that still gets them. */
  private String notices = "on";

  /** Connections are closed with 4001 (reconnect and resume) near this age; 0 turns it off. */
  @DurationUnit(ChronoUnit.SECONDS)
  private Duration maxConnectionAge = Duration.ZERO;

  /**
   * Each connection is closed at a random point in the last this-long before max-connection-age, so
   * clients do not all reconnect at once. Default: a tenth of max-connection-age.
   */
  @DurationUnit(ChronoUnit.SECONDS)
  private Duration maxConnectionAgeJitter;

  /**
   * Origins (scheme://host[:port]) whose pages may open a WebSocket; handshakes from others get
   * 403. Empty allows any origin; requests without an Origin header (non-browser clients) are
   * always let through.
   */
  private List<String> allowedOrigins = new ArrayList<>();

  /**
   * Refuse bad WebSocket handshakes (room name 400, authentication 401, authorization 403) with
   * that HTTP status where the container can; false opens the socket and closes it at once with
   * 1008 and the reason, which browsers can see.
   */
  private boolean refuseAtHandshake = true;

  private final WebSocket websocket = new WebSocket();
  private final Sse sse = new Sse();
  private final HttpPublish httpPublish = new HttpPublish();
  private final Limits limits = new Limits();
  private final Outbox outbox = new Outbox();
  private final Keepalive keepalive = new Keepalive();
  private final Drain drain = new Drain();
  private final Redis redis = new Redis();
  private final Session session = new Session();

  public BackplaneType getBackplane() {
    return backplane;
  }

  public void setBackplane(BackplaneType backplane) {
    this.backplane = backplane;
  }

  public String getNotices() {
    return notices;
  }

  public void setNotices(String notices) {
    this.notices = notices;
  }

  public Duration getMaxConnectionAge() {
    return maxConnectionAge;
  }

  public void setMaxConnectionAge(Duration maxConnectionAge) {
    this.maxConnectionAge = maxConnectionAge;
  }

  public Duration getMaxConnectionAgeJitter() {
    return maxConnectionAgeJitter;
  }

  public void setMaxConnectionAgeJitter(Duration maxConnectionAgeJitter) {
    this.maxConnectionAgeJitter = maxConnectionAgeJitter;
  }

  public List<String> getAllowedOrigins() {
    return allowedOrigins;
  }

  public void setAllowedOrigins(List<String> allowedOrigins) {
    this.allowedOrigins = allowedOrigins;
  }

  public boolean isRefuseAtHandshake() {
    return refuseAtHandshake;
  }

  public void setRefuseAtHandshake(boolean refuseAtHandshake) {
    this.refuseAtHandshake = refuseAtHandshake;
  }

  public WebSocket getWebsocket() {
    return websocket;
  }

  public Sse getSse() {
    return sse;
  }

  public HttpPublish getHttpPublish() {
    return httpPublish;
  }

  public Limits getLimits() {
    return limits;
  }

  public Outbox getOutbox() {
    return outbox;
  }

  public Keepalive getKeepalive() {
    return keepalive;
  }

  public Drain getDrain() {
    return drain;
  }

  public Session getSession() {
    return session;
  }

  public Redis getRedis() {
    return redis;
  }

  /** The WebSocket endpoint. */
  public static class WebSocket {
    /** Whether the WebSocket endpoint is deployed. */
    private boolean enabled = true;

    /**
     * Base path of the WebSocket endpoint: clients connect to {path}/{room}, and {path} alone is
     * room "default".
     */
    private String path = "/ws";

    public boolean isEnabled() {
      return enabled;
    }

    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }

    public String getPath() {
      return path;
    }

    public void setPath(String path) {
      this.path = path;
    }
  }

  /** Server-Sent Events. */
  public static class Sse {
    /** Whether rooms are also served as Server-Sent Events at {path}/{room}. */
    private boolean enabled = true;

    /** Base path of the Server-Sent Events endpoint. */
    private String path = "/events";

    /** A ": heartbeat" comment is written after this much quiet on a stream; 0 turns it off. */
    @DurationUnit(ChronoUnit.SECONDS)
    private Duration heartbeat = Duration.ofSeconds(15);

    public boolean isEnabled() {
      return enabled;
    }

    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }

    public String getPath() {
      return path;
    }

    public void setPath(String path) {
      this.path = path;
    }

    public Duration getHeartbeat() {
      return heartbeat;
    }

    public void setHeartbeat(Duration heartbeat) {
      this.heartbeat = heartbeat;
    }
  }

  /** Publishing over HTTP: POST {path}/{room}/messages. */
  public static class HttpPublish {
    /**
     * Whether POST {path}/{room}/messages publishes into a room. Off by default: it has no
     * per-caller rate limit, so protect it (Spring Security) before turning it on.
     */
    private boolean enabled = false;

    /** Base path of the HTTP publish endpoint. */
    private String path = "/rooms";

    public boolean isEnabled() {
      return enabled;
    }

    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }

    public String getPath() {
      return path;
    }

    public void setPath(String path) {
      this.path = path;
    }
  }

  /** What the hub enforces on every connection (see dev.roomcast.Limits). */
  /** What a client keeps across reconnects, what it gets on joining, and the message handler. */
  public static class Session {
    /**
     * Signs the resume_token in every welcome (at least 32 bytes). Every instance sharing a
     * backplane needs the same secret so a client keeps its client id on any of them. Unset: a
     * random secret per instance.
     */
    private String resumeSecret;

    /** How long a dropped member stays in the room, waiting to resume, before its leave shows. */
    private Duration resumeGrace = Duration.ofSeconds(5);

    /** Most messages a joining client gets with ?history=N (0 turns history on join off). */
    private int maxHistoryOnJoin = 100;

    /** How long the application's MessageHandler bean may take per message before it is refused. */
    private Duration handlerTimeout = Duration.ofSeconds(5);

    public String getResumeSecret() {
      return resumeSecret;
    }

    public void setResumeSecret(String resumeSecret) {
      this.resumeSecret = resumeSecret;
    }

    public Duration getResumeGrace() {
      return resumeGrace;
    }

    public void setResumeGrace(Duration resumeGrace) {
      this.resumeGrace = resumeGrace;
    }

    public int getMaxHistoryOnJoin() {
      return maxHistoryOnJoin;
    }

    public void setMaxHistoryOnJoin(int maxHistoryOnJoin) {
      this.maxHistoryOnJoin = maxHistoryOnJoin;
    }

    public Duration getHandlerTimeout() {
      return handlerTimeout;
    }

    public void setHandlerTimeout(Duration handlerTimeout) {
      this.handlerTimeout = handlerTimeout;
    }
  }

  public static class Limits {
    /** Largest inbound WebSocket message in bytes; larger closes the connection with 1009. */
    private int maxMessageBytes = 65536;

    /** Deepest nesting of an inbound JSON message; deeper gets an error frame. */
    private int maxJsonDepth = 32;

    /** Largest "content" value in bytes of compact JSON; larger gets an error frame. */
    private int maxContentBytes = 32768;

    /** Most open connections on this instance; above it joins are refused with 1013 / 503. */
    private int maxConnections = 10000;

    /** Most rooms with local members on this instance; joins into new rooms above it get 1013. */
    private int maxRooms = 10000;

    /** Sustained messages per second one connection may publish (token bucket refill). */
    private double publishRate = 100;

    /** Messages one connection may publish at once above the rate (token bucket size). */
    private int publishBurst = 200;

    /** Rate-limited messages in a row after which the connection is closed with 1008. */
    private int maxQueuedMessages = 1000;

    public int getMaxMessageBytes() {
      return maxMessageBytes;
    }

    public void setMaxMessageBytes(int maxMessageBytes) {
      this.maxMessageBytes = maxMessageBytes;
    }

    public int getMaxJsonDepth() {
      return maxJsonDepth;
    }

    public void setMaxJsonDepth(int maxJsonDepth) {
      this.maxJsonDepth = maxJsonDepth;
    }

    public int getMaxContentBytes() {
      return maxContentBytes;
    }

    public void setMaxContentBytes(int maxContentBytes) {
      this.maxContentBytes = maxContentBytes;
    }

    public int getMaxConnections() {
      return maxConnections;
    }

    public void setMaxConnections(int maxConnections) {
      this.maxConnections = maxConnections;
    }

    public int getMaxRooms() {
      return maxRooms;
    }

    public void setMaxRooms(int maxRooms) {
      this.maxRooms = maxRooms;
    }

    public double getPublishRate() {
      return publishRate;
    }

    public void setPublishRate(double publishRate) {
      this.publishRate = publishRate;
    }

    public int getPublishBurst() {
      return publishBurst;
    }

    public void setPublishBurst(int publishBurst) {
      this.publishBurst = publishBurst;
    }

    public int getMaxQueuedMessages() {
      return maxQueuedMessages;
    }

    public void setMaxQueuedMessages(int maxQueuedMessages) {
      this.maxQueuedMessages = maxQueuedMessages;
    }
  }

  /**
   * Each connection's outbox: a client that falls this far behind is closed with 4000 (slow
   * consumer, resumable).
   */
  public static class Outbox {
    /** Most frames queued for one connection. */
    private int maxFrames = 1024;

    /** Most bytes queued for one connection. */
    private long maxBytes = 1048576;

    public int getMaxFrames() {
      return maxFrames;
    }

    public void setMaxFrames(int maxFrames) {
      this.maxFrames = maxFrames;
    }

    public long getMaxBytes() {
      return maxBytes;
    }

    public void setMaxBytes(long maxBytes) {
      this.maxBytes = maxBytes;
    }
  }

  /** WebSocket pings. */
  public static class Keepalive {
    /** Interval between server pings on every WebSocket; 0 turns pings off. */
    @DurationUnit(ChronoUnit.SECONDS)
    private Duration pingInterval = Duration.ofSeconds(30);

    /** A connection whose pong does not arrive this long after a ping is closed with 4002. */
    @DurationUnit(ChronoUnit.SECONDS)
    private Duration pongTimeout = Duration.ofSeconds(10);

    public Duration getPingInterval() {
      return pingInterval;
    }

    public void setPingInterval(Duration pingInterval) {
      this.pingInterval = pingInterval;
    }

    public Duration getPongTimeout() {
      return pongTimeout;
    }

    public void setPongTimeout(Duration pongTimeout) {
      this.pongTimeout = pongTimeout;
    }
  }

  /** Graceful shutdown. */
  public static class Drain {
    /**
     * On shutdown, every connection is closed with 1012 (reconnect now and resume), spread evenly
     * over this long, before the web server stops. Keep it below
     * spring.lifecycle.timeout-per-shutdown-phase.
     */
    @DurationUnit(ChronoUnit.SECONDS)
    private Duration time = Duration.ofSeconds(5);

    public Duration getTime() {
      return time;
    }

    public void setTime(Duration time) {
      this.time = time;
    }
  }

  /**
   * The Redis backplane's own settings; the connection comes from spring.data.redis.* (host, port,
   * username, password, database, url, ssl, timeout, connect-timeout).
   */
  public static class Redis {
    /** Prefix of every key and channel roomcast uses, e.g. to share one Redis between apps. */
    private String keyPrefix = "roomcast:";

    /** Messages of history kept per room for resume. */
    private int historyLength = 1000;

    /** How long a room's history outlives its last message (whole seconds). */
    @DurationUnit(ChronoUnit.SECONDS)
    private Duration historyTtl = Duration.ofHours(24);

    public String getKeyPrefix() {
      return keyPrefix;
    }

    public void setKeyPrefix(String keyPrefix) {
      this.keyPrefix = keyPrefix;
    }

    public int getHistoryLength() {
      return historyLength;
    }

    public void setHistoryLength(int historyLength) {
      this.historyLength = historyLength;
    }

    public Duration getHistoryTtl() {
      return historyTtl;
    }

    public void setHistoryTtl(Duration historyTtl) {
      this.historyTtl = historyTtl;
    }
  }
}
