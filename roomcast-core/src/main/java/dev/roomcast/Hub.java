package dev.roomcast;

import dev.roomcast.internal.HubEngine;
import dev.roomcast.internal.HubSettings;
import dev.roomcast.spi.Backplane;
import dev.roomcast.spi.Transport;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The entry point an application holds: rooms, membership, broadcast, resume and metrics, over a
 * pluggable {@link Backplane}. Transports (the Jakarta WebSocket endpoint, SSE, tests) call {@link
 * #join} once per client connection and feed the returned {@link Connection}.
 *
 * <p>Thread-safe: every method may be called from any thread. Sends never block the caller: each
 * connection has a bounded outbox with one write in flight, and a connection whose outbox overflows
 * is closed with {@link CloseCodes#SLOW_CONSUMER} without affecting the room.
 *
 * <p>Guarantees: every member of a room receives the room's messages in offset order, each once; a
 * member that resumes from a position gets exactly the messages it missed, then live traffic, with
 * no gap or duplicate at the seam, or a welcome with {@code recovered: false}.
 *
 * <pre>{@code
 * Hub hub = Hub.builder().build();               // in-memory backplane, defaults
 * Connection c = hub.join(JoinRequest.to("lobby"), transport);
 * c.receiveText("{\"content\":\"hi\"}");
 * hub.publish("lobby", "{\"alert\":true}");       // server-side publish
 * }</pre>
 */
public final class Hub implements AutoCloseable {
  private final HubEngine engine;
  private final Authenticator authenticator;

  private Hub(Builder b) {
    this.engine =
        new HubEngine(
            new HubSettings(
                b.nodeId != null ? b.nodeId : randomNodeId(),
                b.backplane != null ? b.backplane : InMemoryBackplane.create(),
                b.limits,
                b.outboxLimits,
                b.noticePolicy,
                b.clock,
                b.gapTimeout,
                b.positionTimeout,
                b.authorizer,
                b.maxAge,
                b.maxAgeJitter,
                b.messageHandler,
                b.handlerTimeout,
                b.maxHistoryOnJoin,
                b.resumeSecret != null ? b.resumeSecret : randomSecret(),
                b.resumeGrace));
    this.authenticator = b.authenticator;
  }

  /** A builder with the defaults: in-memory backplane, default limits, notices on. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Runs the configured {@link Authenticator} on a connection attempt. Transports call this at the
   * handshake and pass the identity on in {@link JoinRequest#as}.
   *
   * @throws AuthenticationException to refuse (401 / 1008)
   * @throws JoinRejectedException when the authenticator refuses otherwise, e.g. {@link
   *     AccessDeniedException} for a request it recognises but will not serve (403 / 1008), such as
   *     one from a browser page on a foreign origin; any other exception from the authenticator
   *     becomes an {@link AuthenticationException} with a generic message (logged as a warning)
   */
  public Identity authenticate(HandshakeRequest request) {
    Objects.requireNonNull(request, "request");
    Identity id;
    try {
      id = authenticator.authenticate(request);
    } catch (JoinRejectedException e) {
      engine.countRefusal();
      throw e;
    } catch (RuntimeException e) {
      // A broken authenticator must not let people in, nor leak its exception to clients.
      engine.countRefusal();
      java.util.logging.Logger.getLogger("dev.roomcast.Hub")
          .log(java.util.logging.Level.WARNING, "authenticator failed", e);
      throw new AuthenticationException("authentication failed");
    }
    if (id == null) {
      engine.countRefusal();
      throw new AuthenticationException("authentication failed");
    }
    return id;
  }

  /**
   * Whether the configured {@link RoomAuthorizer} lets {@code who} perform {@code action} in {@code
   * room}. The hub asks it itself on every join and publish; transports may ask earlier, e.g. to
   * refuse a WebSocket handshake with 403 instead of closing right after it. An authorizer that
   * throws denies.
   */
  public boolean allows(Identity who, String room, RoomAuthorizer.Action action) {
    Objects.requireNonNull(who, "who");
    Objects.requireNonNull(room, "room");
    Objects.requireNonNull(action, "action");
    return engine.allows(who, room, action);
  }

  /**
   * Publishes on behalf of an authenticated caller (e.g. an HTTP publish endpoint): the {@link
   * RoomAuthorizer} must allow {@link RoomAuthorizer.Action#PUBLISH}.
   *
   * @return as {@link #publish(String, String)}; fails with {@link AccessDeniedException} when
   *     refused
   */
  public CompletionStage<Published> publishAs(
      Identity who, String room, String contentJson, String senderId) {
    Objects.requireNonNull(who, "who");
    String name;
    try {
      name = RoomNames.require(room);
    } catch (JoinRejectedException e) {
      return CompletableFuture.failedFuture(new IllegalArgumentException(e.getMessage()));
    }
    if (!engine.allows(who, name, RoomAuthorizer.Action.PUBLISH)) {
      return CompletableFuture.failedFuture(
          new AccessDeniedException("not allowed to publish in this room"));
    }
    return engine.publish(name, contentJson, senderId, null);
  }

  /**
   * Admits one client connection into a room. The welcome frame (and, when resuming, the missed
   * messages) are queued to {@code transport} before any live traffic.
   *
   * @throws JoinRejectedException when draining (1012), full (1013), the room name is invalid
   *     (1008) or the {@link RoomAuthorizer} refuses ({@link AccessDeniedException}, 403 / 1008);
   *     nothing was registered then
   */
  public Connection join(JoinRequest request, Transport transport) {
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(transport, "transport");
    return engine.join(request, transport);
  }

  /**
   * Publishes into a room from application code, as client id {@code "server"}.
   *
   * @param room the room
   * @param contentJson the content, any JSON value as text (e.g. {@code "\"hello\""} or {@code
   *     "{\"a\":1}"})
   * @return where it landed; fails (never throws) with {@link IllegalArgumentException} for an
   *     invalid room name or content and {@link BackplaneUnavailableException} when the backplane
   *     is down
   */
  public CompletionStage<Published> publish(String room, String contentJson) {
    return engine.publish(room, contentJson, "server", null);
  }

  /** Publishes as a given sender id (for HTTP publish endpoints that name their caller). */
  public CompletionStage<Published> publish(String room, String contentJson, String senderId) {
    return engine.publish(room, contentJson, senderId, null);
  }

  /**
   * Broadcasts to every member of a room except one connection, like socket.io's {@code
   * socket.broadcast.to(room)}. The message is a normal room message (offset, history); only the
   * live delivery to {@code except} on this node is skipped, so a client that resumes later still
   * finds it in history.
   *
   * @param except a connection returned by {@link #join}, or {@code null} for everyone
   */
  public CompletionStage<Published> broadcast(
      String room, String contentJson, String senderId, Connection except) {
    return engine.publish(room, contentJson, senderId, except);
  }

  /**
   * The limits this hub enforces. Transports read them to configure their container (for example
   * the largest inbound text message a WebSocket session buffers).
   */
  public Limits limits() {
    return engine.limits();
  }

  /**
   * Who is in a room across every instance on the backplane: count and members (client id, user,
   * name, joined at). On a backplane without presence, this hub's members only.
   *
   * @return fails with {@link IllegalArgumentException} for an invalid room name
   */
  public CompletionStage<Presence> presence(String room) {
    return engine.presence(room, true);
  }

  /** As {@link #presence(String)}, with the count only (an empty member list), for large rooms. */
  public CompletionStage<Presence> presenceCount(String room) {
    return engine.presence(room, false);
  }

  /** The most messages a join may ask for with {@link JoinRequest#withHistory}. */
  public int maxHistoryOnJoin() {
    return engine.maxHistoryOnJoin();
  }

  /** The bounds of every connection's outbox. */
  public OutboxLimits outboxLimits() {
    return engine.outboxLimits();
  }

  /** A snapshot of the counters and gauges. */
  public MetricsSnapshot metrics() {
    return engine.metrics();
  }

  /** Local member count per room, sorted by name (the seed's {@code /metrics} "rooms" map). */
  public Map<String, Integer> roomSizes() {
    return engine.roomSizes();
  }

  /** Rooms with at least one local member. */
  public int roomCount() {
    return engine.roomCount();
  }

  /** Local members of a room (0 if none). */
  public int roomSize(String room) {
    return engine.roomSize(room);
  }

  /** The room's last delivered position on this hub, or {@code null} if unknown or no members. */
  public StreamPosition roomPosition(String room) {
    return engine.roomPosition(room);
  }

  /** This hub's node id. */
  public String nodeId() {
    return engine.nodeId();
  }

  /** The backplane's name. */
  public String backplaneName() {
    return engine.backplaneName();
  }

  /** Not draining, not closed, and the backplane is reachable. */
  public boolean isReady() {
    return engine.isReady();
  }

  /** Whether the backplane is reachable right now. */
  public boolean isBackplaneUp() {
    return engine.isBackplaneUp();
  }

  /**
   * Starts a graceful shutdown: new joins are refused with 1012, and every open connection is
   * closed with 1012 (service restart: reconnect now and resume), spread evenly over {@code
   * spread}.
   *
   * @return completes when every connection was closed
   */
  public CompletableFuture<Void> drain(Duration spread) {
    return engine.drain(Objects.requireNonNull(spread, "spread"));
  }

  /**
   * Closes what is still open with 1001, detaches from the backplane and stops the hub's thread.
   */
  @Override
  public void close() {
    engine.close();
  }

  private static byte[] randomSecret() {
    byte[] b = new byte[32];
    new SecureRandom().nextBytes(b);
    return b;
  }

  private static String randomNodeId() {
    SecureRandom r = new SecureRandom();
    StringBuilder sb = new StringBuilder(8);
    for (int i = 0; i < 8; i++) {
      sb.append(Character.forDigit(r.nextInt(36), 36));
    }
    return sb.toString();
  }

  /** Builds a {@link Hub}. Setters check their arguments at once. Not thread-safe. */
  public static final class Builder {
    private Backplane backplane;
    private String nodeId;
    private Limits limits = Limits.defaults();
    private OutboxLimits outboxLimits = OutboxLimits.defaults();
    private NoticePolicy noticePolicy = NoticePolicy.always();
    private Clock clock = Clock.systemUTC();
    private Duration gapTimeout = Duration.ofMillis(200);
    private Duration positionTimeout = Duration.ofSeconds(2);
    private Authenticator authenticator = Authenticator.open();
    private RoomAuthorizer authorizer = RoomAuthorizer.allowAll();
    private Duration maxAge;
    private Duration maxAgeJitter = Duration.ZERO;
    private MessageHandler messageHandler = MessageHandler.publishAll();
    private Duration handlerTimeout = Duration.ofSeconds(5);
    private int maxHistoryOnJoin = 100;
    private byte[] resumeSecret;
    private Duration resumeGrace = Duration.ofSeconds(5);

    private Builder() {}

    /**
     * Closes each connection with {@link CloseCodes#MAX_AGE} (4001, resumable) once it is between
     * {@code maxAge - jitter} and {@code maxAge} old, chosen at random per connection, so clients
     * move on their own terms, spread out, before a platform cap cuts them all (Cloud Run: 60 min
     * request timeout; e.g. 55 min with 5 min jitter). Off by default.
     */
    public Builder maxConnectionAge(Duration maxAge, Duration jitter) {
      Objects.requireNonNull(maxAge, "maxAge");
      Objects.requireNonNull(jitter, "jitter");
      if (maxAge.isNegative() || maxAge.isZero()) {
        throw new IllegalArgumentException("maxAge must be positive");
      }
      if (jitter.isNegative() || jitter.compareTo(maxAge) >= 0) {
        throw new IllegalArgumentException("jitter must be >= 0 and less than maxAge");
      }
      this.maxAge = maxAge;
      this.maxAgeJitter = jitter;
      return this;
    }

    /**
     * What the application does with each client message before it is published, and what it is
     * told of joins and leaves; default {@link MessageHandler#publishAll()}.
     */
    public Builder messageHandler(MessageHandler handler) {
      this.messageHandler = Objects.requireNonNull(handler, "handler");
      return this;
    }

    /**
     * How long a {@link MessageHandler} may take to answer for one message before that message is
     * refused with an error to its sender (default 5 s).
     */
    public Builder handlerTimeout(Duration timeout) {
      Objects.requireNonNull(timeout, "timeout");
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("handlerTimeout must be positive");
      }
      this.handlerTimeout = timeout;
      return this;
    }

    /**
     * The most messages a fresh join may ask for with {@link JoinRequest#withHistory} (default
     * 100); larger requests get this many. 0 turns history on join off.
     */
    public Builder maxHistoryOnJoin(int max) {
      if (max < 0 || max > 1000) {
        throw new IllegalArgumentException("maxHistoryOnJoin must be 0-1000, was " + max);
      }
      this.maxHistoryOnJoin = max;
      return this;
    }

    /**
     * The secret that signs the {@code resume_token} in every welcome (HMAC-SHA256), at least 32
     * bytes. Every instance sharing rooms over a backplane must use the same secret so that a
     * client keeps its client id whichever instance it reconnects to. Default: a random secret per
     * hub, so tokens are only honoured by the hub that issued them.
     */
    public Builder resumeSecret(byte[] secret) {
      Objects.requireNonNull(secret, "secret");
      if (secret.length < 32) {
        throw new IllegalArgumentException(
            "resumeSecret must be at least 32 bytes, was " + secret.length);
      }
      this.resumeSecret = secret.clone();
      return this;
    }

    /**
     * How long a member whose connection dropped stays in the room (no leave notice, still in
     * presence) waiting for it to resume with its token (default 5 s; zero announces at once).
     */
    public Builder resumeGrace(Duration grace) {
      Objects.requireNonNull(grace, "grace");
      if (grace.isNegative() || grace.compareTo(Duration.ofMinutes(10)) > 0) {
        throw new IllegalArgumentException("resumeGrace must be 0-10 minutes, was " + grace);
      }
      this.resumeGrace = grace;
      return this;
    }

    /** Who may connect; default {@link Authenticator#open()}. */
    public Builder authenticator(Authenticator authenticator) {
      this.authenticator = Objects.requireNonNull(authenticator, "authenticator");
      return this;
    }

    /** What each identity may do in each room; default {@link RoomAuthorizer#allowAll()}. */
    public Builder authorizer(RoomAuthorizer authorizer) {
      this.authorizer = Objects.requireNonNull(authorizer, "authorizer");
      return this;
    }

    /** The backplane; default a fresh {@link InMemoryBackplane} (single instance). */
    public Builder backplane(Backplane backplane) {
      this.backplane = Objects.requireNonNull(backplane, "backplane");
      return this;
    }

    /** This node's id (unique per running hub; part of every client id). Default: random. */
    public Builder nodeId(String nodeId) {
      Objects.requireNonNull(nodeId, "nodeId");
      if (!nodeId.matches("[a-z0-9]{1,32}")) {
        throw new IllegalArgumentException("nodeId must be 1-32 characters of a-z 0-9");
      }
      this.nodeId = nodeId;
      return this;
    }

    public Builder limits(Limits limits) {
      this.limits = Objects.requireNonNull(limits, "limits");
      return this;
    }

    public Builder outboxLimits(OutboxLimits outboxLimits) {
      this.outboxLimits = Objects.requireNonNull(outboxLimits, "outboxLimits");
      return this;
    }

    /** When join/leave notices are sent; default always, as the seed does. */
    public Builder notices(NoticePolicy noticePolicy) {
      this.noticePolicy = Objects.requireNonNull(noticePolicy, "noticePolicy");
      return this;
    }

    /** The clock for frame timestamps; default UTC system clock. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * How long a message that arrived ahead of a missing offset waits before the hub reads the gap
     * from history (default 200 ms).
     */
    public Builder gapTimeout(Duration gapTimeout) {
      Objects.requireNonNull(gapTimeout, "gapTimeout");
      if (gapTimeout.isNegative() || gapTimeout.isZero()) {
        throw new IllegalArgumentException("gapTimeout must be positive");
      }
      this.gapTimeout = gapTimeout;
      return this;
    }

    /** How long a join into a new room waits for the backplane's position (default 2 s). */
    public Builder positionTimeout(Duration positionTimeout) {
      Objects.requireNonNull(positionTimeout, "positionTimeout");
      if (positionTimeout.isNegative() || positionTimeout.isZero()) {
        throw new IllegalArgumentException("positionTimeout must be positive");
      }
      this.positionTimeout = positionTimeout;
      return this;
    }

    public Hub build() {
      return new Hub(this);
    }
  }
}
