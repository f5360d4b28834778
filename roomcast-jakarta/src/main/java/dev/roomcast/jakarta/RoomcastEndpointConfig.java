package dev.roomcast.jakarta;

import java.time.Duration;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * How {@link RoomcastEndpoints#deploy} installs the endpoint: under which path, and the keepalive
 * (ping/pong) timing. Immutable; build with {@link #builder()} or take {@link #defaults()}. Setters
 * check their arguments at once.
 *
 * <p>Defaults follow the seed server: endpoint at {@code /{room}} and {@code /}, a ping every 30 s,
 * and a connection that has not answered a ping within 10 s is closed with {@link
 * dev.roomcast.CloseCodes#KEEPALIVE_TIMEOUT} (4002).
 */
public final class RoomcastEndpointConfig {
  private final String path;
  private final Duration pingInterval;
  private final Duration pongTimeout;
  private final Predicate<String> allowedOrigins;
  private final boolean refuseAtHandshake;
  private final RawFrameSinks rawFrameSinks;

  private RoomcastEndpointConfig(Builder b) {
    this.path = b.path;
    this.pingInterval = b.pingInterval;
    this.pongTimeout = b.pongTimeout;
    this.allowedOrigins = b.allowedOrigins;
    this.refuseAtHandshake = b.refuseAtHandshake;
    this.rawFrameSinks = b.rawFrameSinks;
  }

  /** {@code /}, ping every 30 s, pong timeout 10 s. */
  public static RoomcastEndpointConfig defaults() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from these settings. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.path = path;
    b.pingInterval = pingInterval;
    b.pongTimeout = pongTimeout;
    b.allowedOrigins = allowedOrigins;
    b.refuseAtHandshake = refuseAtHandshake;
    b.rawFrameSinks = rawFrameSinks;
    return b;
  }

  /**
   * Where sessions' pre-built frames are written when the server embedding the endpoint owns the
   * connection's writer, or {@code null} (default): then Tyrus sessions are written through Tyrus'
   * own writer (reached by reflection) and other containers' through {@code sendText}.
   */
  public RawFrameSinks rawFrameSinks() {
    return rawFrameSinks;
  }

  /**
   * The base path: the endpoint answers at {@code path} (room {@code default}) and at {@code
   * path/{room}}. {@code "/"} by default.
   */
  public String path() {
    return path;
  }

  /** Interval between server pings; {@link Duration#ZERO} means no pings. */
  public Duration pingInterval() {
    return pingInterval;
  }

  /** How long after a ping a pong must arrive before the connection is closed with 4002. */
  public Duration pongTimeout() {
    return pongTimeout;
  }

  /**
   * Whether a handshake with this {@code Origin} header value ({@code null} when absent) may
   * proceed; a refused one is answered 403 by the container. A policy that throws refuses.
   */
  public boolean originAllowed(String origin) {
    try {
      return allowedOrigins.test(origin);
    } catch (RuntimeException e) {
      return false;
    }
  }

  /**
   * Whether refusals found at the handshake (invalid room 400, authentication 401, authorization
   * 403) are answered with that HTTP status where the container allows it (Tyrus), rather than with
   * a close right after the session opens (1008 and the reason). Default {@code true}.
   */
  public boolean refuseAtHandshake() {
    return refuseAtHandshake;
  }

  /** Whether the endpoint sends pings at all. */
  public boolean keepaliveEnabled() {
    return !pingInterval.isZero();
  }

  /** The path of the bare endpoint (room {@code default}). */
  String bareRoomPath() {
    return path;
  }

  /** The path template of the room endpoint. */
  String roomPathTemplate() {
    return (path.equals("/") ? "" : path) + "/{" + RoomcastEndpoint.ROOM_PARAM + "}";
  }

  @Override
  public String toString() {
    return "RoomcastEndpointConfig{path="
        + path
        + ", pingInterval="
        + pingInterval
        + ", pongTimeout="
        + pongTimeout
        + ", refuseAtHandshake="
        + refuseAtHandshake
        + "}";
  }

  /** Builds a {@link RoomcastEndpointConfig}. Not thread-safe. */
  public static final class Builder {
    private String path = "/";
    private Duration pingInterval = Duration.ofSeconds(30);
    private Duration pongTimeout = Duration.ofSeconds(10);
    private Predicate<String> allowedOrigins = origin -> true;
    private boolean refuseAtHandshake = true;
    private RawFrameSinks rawFrameSinks;

    private Builder() {}

    /**
     * For servers that own the WebSocket connection's writer (roomcast-grizzly): hands each
     * session's pre-built broadcast frames to it. {@code null} (default) for none.
     */
    public Builder rawFrameSinks(RawFrameSinks rawFrameSinks) {
      this.rawFrameSinks = rawFrameSinks;
      return this;
    }

    /**
     * Which {@code Origin} header values may open a WebSocket (the argument is {@code null} when
     * the header is absent, as from non-browser clients). Browsers send the page's origin, so this
     * is what stops a foreign page from using a visitor's cookies or network position (cross-site
     * WebSocket hijacking). Every origin by default. Refused handshakes get 403.
     */
    public Builder allowedOrigins(Predicate<String> allowedOrigins) {
      this.allowedOrigins = Objects.requireNonNull(allowedOrigins, "allowedOrigins");
      return this;
    }

    /**
     * {@code true} (default): refuse bad handshakes with an HTTP status where the container can;
     * {@code false}: always let the session open and close it at once with 1008 and a reason. The
     * latter suits browser clients, which cannot see a handshake's HTTP status (only 1006) but do
     * see a close code and reason.
     */
    public Builder refuseAtHandshake(boolean refuseAtHandshake) {
      this.refuseAtHandshake = refuseAtHandshake;
      return this;
    }

    /**
     * The base path, starting with {@code /} and not ending with one (except {@code "/"} itself),
     * without templates: e.g. {@code "/"} or {@code "/ws"}.
     */
    public Builder path(String path) {
      Objects.requireNonNull(path, "path");
      if (!path.startsWith("/")) {
        throw new IllegalArgumentException("path must start with '/', was '" + path + "'");
      }
      if (path.length() > 1 && path.endsWith("/")) {
        throw new IllegalArgumentException("path must not end with '/', was '" + path + "'");
      }
      if (path.contains("{") || path.contains("}") || path.contains("?") || path.contains("#")) {
        throw new IllegalArgumentException(
            "path must be a plain path without templates or query, was '" + path + "'");
      }
      this.path = path;
      return this;
    }

    /** Interval between pings, at least 1 ms; {@link Duration#ZERO} turns keepalive off. */
    public Builder pingInterval(Duration pingInterval) {
      Objects.requireNonNull(pingInterval, "pingInterval");
      if (pingInterval.isNegative()) {
        throw new IllegalArgumentException("pingInterval must not be negative");
      }
      if (!pingInterval.isZero() && pingInterval.toMillis() < 1) {
        throw new IllegalArgumentException("pingInterval must be zero or at least 1 ms");
      }
      this.pingInterval = pingInterval;
      return this;
    }

    /** How long a pong may take, at least 1 ms. */
    public Builder pongTimeout(Duration pongTimeout) {
      Objects.requireNonNull(pongTimeout, "pongTimeout");
      if (pongTimeout.toMillis() < 1) {
        throw new IllegalArgumentException("pongTimeout must be at least 1 ms");
      }
      this.pongTimeout = pongTimeout;
      return this;
    }

    public RoomcastEndpointConfig build() {
      return new RoomcastEndpointConfig(this);
    }
  }
}
