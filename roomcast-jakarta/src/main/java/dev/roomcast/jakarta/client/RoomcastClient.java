package dev.roomcast.jakarta.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.roomcast.BackoffPolicy;
import dev.roomcast.CloseCodes;
import dev.roomcast.RoomNames;
import dev.roomcast.StreamPosition;
import jakarta.websocket.ClientEndpointConfig;
import jakarta.websocket.CloseReason;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.MessageHandler;
import jakarta.websocket.SendResult;
import jakarta.websocket.Session;
import jakarta.websocket.WebSocketContainer;
import java.io.IOException;
import java.lang.reflect.Method;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A roomcast client that does not lose messages: it stays in one room, reconnects after every
 * non-terminal close with {@link BackoffPolicy}, and resumes from the last position it saw ({@code
 * ?since=<offset>&epoch=<epoch>}), so every room message reaches the listener once, in order.
 *
 * <pre>{@code
 * RoomcastClient client =
 *     RoomcastClient.builder(URI.create("ws://localhost:8080"), "lobby")
 *         .listener(new RoomcastClientListener() {
 *           public void onMessage(ReceivedMessage m) { System.out.println(m.contentText()); }
 *         })
 *         .connect();
 * client.sendText("hello");
 * ...
 * client.close();
 * }</pre>
 *
 * <h2>Receiving</h2>
 *
 * The client keeps the epoch and offset of the last room message (or of the welcome when none came
 * yet) and resumes from it on every reconnect. A message whose offset it already delivered in the
 * same epoch is dropped ({@link #duplicatesDropped()}). An offset that jumps ahead within an epoch
 * is a gap: the client closes the connection (code 4100) and resumes at once from the last offset
 * it delivered ({@link #gapsDetected()}). A welcome with {@code recovered: false} means the server
 * could not fill a gap (history trimmed or lost); the client continues from the welcome's position
 * and the listener can see it in {@link Welcome#recovered()}.
 *
 * <h2>Reconnecting</h2>
 *
 * <ul>
 *   <li>Terminal codes ({@link CloseCodes#isTerminal}: 1000, 1003, 1008, 4500-4999), a handshake
 *       refused with HTTP 4xx (other than 408 and 429), and a backoff policy that gives up end the
 *       client: {@link RoomcastClientListener#onClose} once, no more connections.
 *   <li>1012 (server restart) and 4001 (connection max age) after a good connection reconnect at
 *       once; if that attempt fails, the backoff applies.
 *   <li>Everything else (1001, 1006, 1011, 1013, 4000, 4002, refused TCP connections, ...)
 *       reconnects after {@code backoff.delayMillis(n)} for the n-th consecutive failed attempt.
 *       The count is reset by a connection that got its welcome.
 * </ul>
 *
 * <h2>Sending and the offline queue</h2>
 *
 * {@link #sendJson}, {@link #send(JsonNode)} and {@link #sendText} put the frame in the client's
 * outgoing queue, which is written in order, one frame in flight at a time, while a connection is
 * open and welcomed, and held while there is none. The queue holds at most {@link
 * Builder#offlineQueueCapacity} frames (default {@value #DEFAULT_OFFLINE_QUEUE_CAPACITY}): when it
 * is full, {@code send} returns {@code false} and the frame is not queued — the newest is refused,
 * nothing queued is ever dropped. {@code send} also returns {@code false} once the client is
 * closed. A frame whose write failed is written again after the reconnect; a frame whose write
 * completed counts as sent — if the connection dies before the server read it, it is lost (protocol
 * v1 has no publish acknowledgement; a sender that must know watches for its own {@code
 * client_id}).
 *
 * <h2>Threads and resources</h2>
 *
 * Thread-safe: every method may be called from any thread, including from listener callbacks.
 * Clients share one {@link WebSocketContainer} ({@link Builder#container}, default {@link
 * jakarta.websocket.ContainerProvider#getWebSocketContainer()} once per JVM), one timer thread
 * ({@link Builder#scheduler}) and a small pool for the blocking handshakes ({@link
 * Builder#connectExecutor}); a client has no thread of its own. The default executors' threads are
 * daemons and end after a few idle seconds. {@link #close()} cancels the pending reconnect timer
 * and closes the connection; nothing of the client keeps running afterwards.
 *
 * @deprecated Use {@code dev.roomcast.client.RoomcastClient} from the {@code roomcast-client}
 *     artifact: the same behaviour on the JDK's {@code java.net.http.WebSocket}, so no WebSocket
 *     container (Tyrus client, Grizzly) to add, no Jackson types in its API, replayed messages
 *     marked. This client stalls for its connect timeout (15 s) when a server drops a connection
 *     during the handshake, which the attempt right after a 1012 drain often meets: Tyrus' {@code
 *     connectToServer} does not return until its own handshake timeout. It keeps working and will
 *     be removed in a later release.
 */
@Deprecated(since = "0.1.0")
public final class RoomcastClient implements AutoCloseable {
  /** The default bound of the outgoing (offline) queue. */
  public static final int DEFAULT_OFFLINE_QUEUE_CAPACITY = 100;

  /** The close code this client sends when it drops a connection to resume across a gap. */
  public static final int GAP_CLOSE_CODE = 4100;

  /** What the client is doing. */
  public enum State {
    /** The first connection is being made. */
    CONNECTING,
    /** A connection is open and welcomed. */
    OPEN,
    /** The last connection is gone; the client waits or is connecting again. */
    RECONNECTING,
    /** Closed for good. */
    CLOSED
  }

  private static final Logger LOG = Logger.getLogger(RoomcastClient.class.getName());
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int ABNORMAL = 1006;

  private final URI baseUri;
  private final String room;
  private final RoomcastClientListener listener;
  private final BackoffPolicy backoff;
  private final WebSocketContainer container;
  private final ScheduledExecutorService scheduler;
  private final Executor connectExecutor;
  private final ClientEndpointConfig endpointConfig;
  private final int capacity;
  private final int maxMessageBytes;
  private final Duration connectTimeout;
  private final SerialEvents events = new SerialEvents();

  private final Object lock = new Object();
  // everything below is guarded by lock
  private State state = State.CONNECTING;
  private boolean closed;
  private Link link;
  private ScheduledFuture<?> timer;
  private int failures;
  private StreamPosition position;
  private String clientId;
  private final ArrayDeque<String> outgoing = new ArrayDeque<>();
  private long connections;
  private long duplicatesDropped;
  private long gapsDetected;

  private RoomcastClient(Builder b) {
    this.baseUri = b.serverUri;
    this.room = b.room;
    this.listener = b.listener;
    this.backoff = b.backoff;
    this.container = b.container != null ? b.container : ClientResources.container();
    this.scheduler = b.scheduler != null ? b.scheduler : ClientResources.scheduler();
    this.connectExecutor =
        b.connectExecutor != null ? b.connectExecutor : ClientResources.connector();
    this.endpointConfig = b.endpointConfig;
    this.capacity = b.capacity;
    this.maxMessageBytes = b.maxMessageBytes;
    this.connectTimeout = b.connectTimeout;
    this.position = b.resumeFrom;
  }

  /**
   * A builder for a client of {@code room} on the server at {@code serverUri}.
   *
   * @param serverUri the server's WebSocket base, e.g. {@code ws://localhost:8080} or {@code
   *     wss://example.com/chat} (the room is appended as a path segment; a query such as {@code
   *     ?token=...} is kept)
   * @param room the room name (checked against {@link RoomNames})
   */
  public static Builder builder(URI serverUri, String room) {
    return new Builder(serverUri, room);
  }

  /** Starts connecting (in the background); returns at once. Called by {@link Builder#connect}. */
  private RoomcastClient start() {
    dispatchConnect();
    return this;
  }

  // ---- sending

  /**
   * Sends {@code {"content": <contentJson>}} now or, while offline, when the next connection opens.
   *
   * @param contentJson any JSON value as text
   * @return {@code false} when the outgoing queue is full or the client is closed (the message is
   *     not sent), else {@code true}
   * @throws IllegalArgumentException when {@code contentJson} is not one JSON value
   */
  public boolean sendJson(String contentJson) {
    Objects.requireNonNull(contentJson, "contentJson");
    JsonNode content;
    try {
      content = JSON.readTree(contentJson);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not valid JSON: " + e.getOriginalMessage(), e);
    }
    if (content == null || content.isMissingNode()) {
      throw new IllegalArgumentException("not valid JSON: empty");
    }
    return send(content);
  }

  /**
   * Sends {@code {"content": <content>}}.
   *
   * @return {@code false} when the outgoing queue is full or the client is closed
   * @see #sendJson(String)
   */
  public boolean send(JsonNode content) {
    Objects.requireNonNull(content, "content");
    ObjectNode frame = JsonNodeFactory.instance.objectNode();
    frame.set("content", content);
    return enqueue(frame.toString());
  }

  /**
   * Sends {@code {"content": "<text>"}}, the chat page's message shape.
   *
   * @return {@code false} when the outgoing queue is full or the client is closed
   */
  public boolean sendText(String text) {
    Objects.requireNonNull(text, "text");
    return send(JsonNodeFactory.instance.textNode(text));
  }

  private boolean enqueue(String frame) {
    Link l;
    synchronized (lock) {
      if (closed || outgoing.size() >= capacity) {
        return false;
      }
      outgoing.addLast(frame);
      l = link;
    }
    if (l != null) {
      l.pump();
    }
    return true;
  }

  // ---- state

  /** What the client is doing now. */
  public State state() {
    synchronized (lock) {
      return state;
    }
  }

  /** The room this client is in. */
  public String room() {
    return room;
  }

  /** The current connection's client id (the last one while reconnecting), if welcomed yet. */
  public Optional<String> clientId() {
    synchronized (lock) {
      return Optional.ofNullable(clientId);
    }
  }

  /** The position the next reconnect resumes from: the last message (or welcome) seen. */
  public Optional<StreamPosition> position() {
    synchronized (lock) {
      return Optional.ofNullable(position);
    }
  }

  /** Frames waiting to be written (sent while offline or not yet written). */
  public int queuedMessages() {
    synchronized (lock) {
      return outgoing.size();
    }
  }

  /** Connections that got their welcome, over the client's life. */
  public long connections() {
    synchronized (lock) {
      return connections;
    }
  }

  /** Room messages dropped because their offset had been delivered already. */
  public long duplicatesDropped() {
    synchronized (lock) {
      return duplicatesDropped;
    }
  }

  /** Offset jumps within an epoch that made the client resume. */
  public long gapsDetected() {
    synchronized (lock) {
      return gapsDetected;
    }
  }

  /**
   * Closes the client for good: cancels a pending reconnect, closes the connection with 1000,
   * discards queued frames and calls {@link RoomcastClientListener#onClose} (1000) unless the
   * client had closed already. Idempotent; returns without waiting for the server's close frame.
   */
  @Override
  public void close() {
    Session session;
    synchronized (lock) {
      if (closed) {
        return;
      }
      closed = true;
      state = State.CLOSED;
      cancelTimerLocked();
      session = link != null ? link.session : null;
      if (link != null && link.welcomeTimer != null) {
        link.welcomeTimer.cancel(false);
      }
      link = null;
      outgoing.clear();
      events.add(() -> listener.onClose(CloseCodes.NORMAL, "closed by client"));
    }
    if (session != null) {
      closeQuietly(session, CloseCodes.NORMAL, "client closed");
    }
    events.drain();
  }

  @Override
  public String toString() {
    synchronized (lock) {
      return "RoomcastClient{" + baseUri + " room=" + room + " " + state + " at " + position + "}";
    }
  }

  // ---- connecting

  private void dispatchConnect() {
    try {
      connectExecutor.execute(this::openLink);
    } catch (RejectedExecutionException e) {
      // the application shut the executor down: nothing more can be done for this client
      terminate(ABNORMAL, "connect executor rejected the task", e);
    }
  }

  private void openLink() {
    Link l;
    URI uri;
    synchronized (lock) {
      timer = null;
      if (closed) {
        return;
      }
      l = new Link(position);
      link = l;
      uri = uriFor(position);
      try {
        l.welcomeTimer =
            scheduler.schedule(
                l::welcomeTimedOut, connectTimeout.toMillis(), TimeUnit.MILLISECONDS);
      } catch (RejectedExecutionException e) {
        // no timer: the container's own handshake timeout still applies
        LOG.log(Level.FINE, "scheduler rejected the connect timeout", e);
      }
    }
    try {
      container.connectToServer(l, endpointConfig, uri);
    } catch (Exception e) { // DeploymentException, IOException, or the container's runtime errors
      int status = httpStatus(e);
      if (status >= 400 && status < 500 && status != 408 && status != 429) {
        // a refusal that a retry cannot change: bad room, auth, not found
        events.add(() -> listener.onError(e));
        terminate(
            CloseCodes.POLICY_VIOLATION, "handshake refused with HTTP " + status + " by " + uri, e);
        return;
      }
      events.add(() -> listener.onError(e));
      l.down(ABNORMAL, "connect to " + uri + " failed: " + e.getMessage());
    }
  }

  URI uriFor(StreamPosition from) {
    String base = baseUri.toString();
    String query = null;
    int q = base.indexOf('?');
    if (q >= 0) {
      query = base.substring(q + 1);
      base = base.substring(0, q);
    }
    StringBuilder sb = new StringBuilder(base);
    if (!base.endsWith("/")) {
      sb.append('/');
    }
    // room names are 1-128 of A-Z a-z 0-9 _ - . : @ (checked in the builder): all legal in a path
    // segment as they are, and servers match them unescaped
    sb.append(room);
    String sep = "?";
    if (query != null && !query.isEmpty()) {
      sb.append('?').append(query);
      sep = "&";
    }
    if (from != null) {
      sb.append(sep)
          .append("since=")
          .append(from.offset())
          .append("&epoch=")
          .append(URLEncoder.encode(from.epoch(), StandardCharsets.UTF_8));
    }
    return URI.create(sb.toString());
  }

  /** Ends the client after a terminal condition (not after {@link #close()}). */
  private void terminate(int code, String reason, Throwable cause) {
    synchronized (lock) {
      if (closed) {
        return;
      }
      closed = true;
      state = State.CLOSED;
      cancelTimerLocked();
      if (link != null && link.welcomeTimer != null) {
        link.welcomeTimer.cancel(false);
      }
      link = null;
      outgoing.clear();
      events.add(() -> listener.onClose(code, reason));
    }
    LOG.log(Level.FINE, "roomcast client for " + room + " closed: " + code + " " + reason, cause);
    events.drain();
  }

  /** Decides what follows a lost connection; called once per link, under the lock. */
  private void linkDownLocked(Link l, int code, String reason) {
    long delay;
    int attempt;
    if (l.resumeAfterGap) {
      attempt = 0;
      delay = 0;
    } else if (CloseCodes.isTerminal(code)) {
      closed = true;
      state = State.CLOSED;
      outgoing.clear();
      events.add(() -> listener.onClose(code, reason));
      return;
    } else if (CloseCodes.reconnectImmediately(code) && l.welcomed) {
      attempt = 0;
      delay = 0;
    } else {
      failures++;
      OptionalLong d = backoff.delayMillis(failures);
      if (d.isEmpty()) {
        closed = true;
        state = State.CLOSED;
        outgoing.clear();
        String why = "gave up after " + (failures - 1) + " reconnect attempts; last: " + reason;
        events.add(() -> listener.onClose(code, why));
        return;
      }
      attempt = failures;
      delay = d.getAsLong();
    }
    state = State.RECONNECTING;
    Reconnecting r = new Reconnecting(attempt, Duration.ofMillis(delay), code, reason);
    events.add(() -> listener.onReconnecting(r));
    if (delay == 0) {
      dispatchConnectLater();
    } else {
      try {
        timer = scheduler.schedule(this::dispatchConnect, delay, TimeUnit.MILLISECONDS);
      } catch (RejectedExecutionException e) {
        closed = true;
        state = State.CLOSED;
        outgoing.clear();
        events.add(() -> listener.onClose(ABNORMAL, "scheduler rejected the reconnect timer"));
      }
    }
  }

  /** Connecting is blocking: never on the thread that reported the close (a container thread). */
  private void dispatchConnectLater() {
    try {
      timer = scheduler.schedule(this::dispatchConnect, 0, TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      closed = true;
      state = State.CLOSED;
      outgoing.clear();
      events.add(() -> listener.onClose(ABNORMAL, "scheduler rejected the reconnect"));
    }
  }

  private void cancelTimerLocked() {
    if (timer != null) {
      timer.cancel(false);
      timer = null;
    }
  }

  private static void closeQuietly(Session session, int code, String reason) {
    try {
      session.close(new CloseReason(CloseReason.CloseCodes.getCloseCode(code), reason));
    } catch (IOException | RuntimeException e) {
      LOG.log(Level.FINE, "closing session failed", e);
    }
  }

  /**
   * The HTTP status of a refused handshake, or -1. The Jakarta API has no portable way to get it;
   * containers put it on an exception in the cause chain (Tyrus: {@code
   * HandshakeException.getHttpStatusCode()}), found here by method name so no container is needed
   * at compile time.
   */
  static int httpStatus(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      for (String name : new String[] {"getHttpStatusCode", "getStatusCode", "getHttpStatus"}) {
        try {
          Method m = t.getClass().getMethod(name);
          if (m.getReturnType() == int.class) {
            return (int) m.invoke(t);
          }
        } catch (ReflectiveOperationException | RuntimeException ignored) {
          // not this one
        }
      }
    }
    return -1;
  }

  // ---- one connection

  /**
   * One connection attempt and, if it opens, the connection. Frames from a link that is no longer
   * the client's current one are ignored.
   */
  private final class Link extends Endpoint {
    private final StreamPosition resumedFrom;
    // guarded by the client's lock
    private Session session;
    private boolean welcomed;
    private boolean isDown;
    private boolean writing;
    private boolean resumeAfterGap;
    private ScheduledFuture<?> welcomeTimer;

    Link(StreamPosition resumedFrom) {
      this.resumedFrom = resumedFrom;
    }

    @Override
    public void onOpen(Session s, EndpointConfig config) {
      boolean stale;
      synchronized (lock) {
        stale = link != this || closed;
        if (!stale) {
          session = s;
        }
      }
      if (stale) {
        // closed, timed out or replaced while the handshake ran; closed outside the lock because
        // a close may block on I/O
        closeQuietly(s, CloseCodes.NORMAL, "client closed");
        return;
      }
      s.setMaxTextMessageBufferSize(maxMessageBytes);
      s.addMessageHandler(String.class, (MessageHandler.Whole<String>) this::onText);
    }

    private void onText(String text) {
      JsonNode frame;
      try {
        frame = JSON.readTree(text);
      } catch (JsonProcessingException e) {
        LOG.log(Level.FINE, "unparsable frame from server ignored: " + text, e);
        return;
      }
      if (frame == null || !frame.isObject()) {
        return;
      }
      Session toClose = null;
      synchronized (lock) {
        if (link != this || isDown || resumeAfterGap) {
          return; // not current, or dropping the rest of a connection that had a gap
        }
        String type = frame.path("type").asText("");
        if (!welcomed) {
          welcomeLocked(frame);
        } else if (type.equals("message")) {
          if (!messageLocked(frame)) {
            toClose = session;
          }
        } else if (type.equals("system")) {
          events.add(() -> listener.onSystem(frame));
        } else if (type.equals("error")) {
          String message = frame.path("message").asText("");
          events.add(() -> listener.onServerError(message));
        }
        // unknown types are ignored: the protocol may add some
      }
      if (toClose != null) {
        closeQuietly(toClose, GAP_CLOSE_CODE, "gap detected; resuming");
      }
      events.drain();
      pump();
    }

    private void welcomeLocked(JsonNode frame) {
      welcomed = true;
      if (welcomeTimer != null) {
        welcomeTimer.cancel(false);
      }
      failures = 0;
      connections++;
      clientId = textOrNull(frame, "client_id");
      JsonNode rec = frame.get("recovered");
      Optional<Boolean> recovered =
          rec != null && rec.isBoolean() ? Optional.of(rec.booleanValue()) : Optional.empty();
      Optional<StreamPosition> at = positionOf(frame);
      // a complete resume continues from where we were; otherwise (fresh join, recovered false)
      // the welcome says where live traffic continues from
      if (at.isPresent() && !recovered.orElse(false)) {
        position = at.get();
      }
      state = State.OPEN;
      Welcome w =
          new Welcome(
              clientId,
              frame.path("room").asText(room),
              at,
              recovered,
              Optional.ofNullable(resumedFrom),
              frame);
      events.add(() -> listener.onOpen(w));
      if (!frame.path("type").asText("").equals("system")) {
        // not a welcome after all (a server without one): still a frame to deliver
        if (frame.path("type").asText("").equals("message")) {
          messageLocked(frame);
        }
      }
    }

    /** Returns false when a gap was found and this connection must be dropped to resume. */
    private boolean messageLocked(JsonNode frame) {
      Optional<StreamPosition> at = positionOf(frame);
      if (at.isPresent() && position != null && at.get().epoch().equals(position.epoch())) {
        long offset = at.get().offset();
        if (offset <= position.offset()) {
          duplicatesDropped++;
          return true;
        }
        if (offset > position.offset() + 1) {
          gapsDetected++;
          resumeAfterGap = true;
          LOG.fine(
              () ->
                  "roomcast client for "
                      + room
                      + ": offset "
                      + offset
                      + " after "
                      + position.offset()
                      + "; resuming");
          return false;
        }
      }
      // a new epoch starts over; a message without a position (seed server) is just delivered
      at.ifPresent(p -> position = p);
      ReceivedMessage m =
          new ReceivedMessage(
              frame.path("room").asText(room),
              textOrNull(frame, "client_id"),
              frame.has("content") ? frame.get("content") : JsonNodeFactory.instance.textNode(""),
              textOrNull(frame, "timestamp"),
              at.map(StreamPosition::epoch).orElse(null),
              at.map(StreamPosition::offset).orElse(-1L),
              frame);
      events.add(() -> listener.onMessage(m));
      return true;
    }

    /** Writes queued frames, one in flight at a time, while this link is current and welcomed. */
    void pump() {
      String frame;
      Session s;
      synchronized (lock) {
        if (link != this || isDown || !welcomed || writing || outgoing.isEmpty()) {
          return;
        }
        frame = outgoing.pollFirst();
        writing = true;
        s = session;
      }
      try {
        s.getAsyncRemote().sendText(frame, result -> written(frame, result));
      } catch (RuntimeException e) {
        written(frame, new SendResult(e));
      }
    }

    private void written(String frame, SendResult result) {
      synchronized (lock) {
        writing = false;
        if (!result.isOK()) {
          // not (completely) written, so the server cannot have published it: send it again on
          // the next connection, ahead of anything queued after it — unless that connection is
          // already writing, which would reorder it
          Link next = link;
          if (!closed && (next == this || next == null || !next.welcomed)) {
            outgoing.addFirst(frame);
          } else {
            LOG.fine(() -> "roomcast client for " + room + ": a frame whose write failed is lost");
          }
        }
      }
      if (result.isOK()) {
        pump();
      } else {
        Session s;
        synchronized (lock) {
          s = link == this ? session : null;
        }
        if (s != null) {
          closeQuietly(s, CloseCodes.SERVER_ERROR, "write failed");
        }
      }
    }

    @Override
    public void onClose(Session s, CloseReason reason) {
      down(reason.getCloseCode().getCode(), reason.getReasonPhrase());
    }

    @Override
    public void onError(Session s, Throwable error) {
      events.add(() -> listener.onError(error));
      if (s == null || !s.isOpen()) {
        down(ABNORMAL, String.valueOf(error.getMessage()));
      } else {
        events.drain();
      }
    }

    /**
     * No welcome within the connect timeout: a handshake that hangs, or a server that accepted the
     * upgrade but is not serving it (e.g. one that is shutting down). Give up on this connection
     * without waiting for a close handshake that may never come.
     */
    void welcomeTimedOut() {
      Session s;
      synchronized (lock) {
        if (welcomed || isDown || link != this) {
          return;
        }
        s = session;
      }
      events.add(
          () ->
              listener.onError(
                  new IOException("no welcome within " + connectTimeout.toMillis() + " ms")));
      down(ABNORMAL, "no welcome within " + connectTimeout.toMillis() + " ms");
      if (s != null) {
        closeQuietly(s, CloseCodes.NORMAL, "no welcome in time");
      }
    }

    void down(int code, String reason) {
      synchronized (lock) {
        if (!isDown) {
          isDown = true;
          if (welcomeTimer != null) {
            welcomeTimer.cancel(false);
          }
          if (link == this && !closed) {
            link = null;
            linkDownLocked(this, code, reason == null ? "" : reason);
          }
        }
      }
      events.drain(); // also what callers queued before (onError)
    }
  }

  private static String textOrNull(JsonNode frame, String field) {
    JsonNode n = frame.get(field);
    return n == null || n.isNull() ? null : n.asText();
  }

  private static Optional<StreamPosition> positionOf(JsonNode frame) {
    JsonNode e = frame.get("epoch");
    JsonNode o = frame.get("offset");
    if (e == null
        || o == null
        || !e.isTextual()
        || e.textValue().isEmpty()
        || !o.canConvertToLong()
        || o.asLong() < 0) {
      return Optional.empty();
    }
    return Optional.of(new StreamPosition(e.textValue(), o.asLong()));
  }

  /**
   * Settings for a {@link RoomcastClient}; {@link #connect()} builds and starts one. Every setter
   * checks its argument at once. Not thread-safe.
   */
  public static final class Builder {
    private final URI serverUri;
    private final String room;
    private RoomcastClientListener listener = new RoomcastClientListener() {};
    private BackoffPolicy backoff = BackoffPolicy.defaults();
    private WebSocketContainer container;
    private ScheduledExecutorService scheduler;
    private Executor connectExecutor;
    private ClientEndpointConfig endpointConfig = ClientEndpointConfig.Builder.create().build();
    private int capacity = DEFAULT_OFFLINE_QUEUE_CAPACITY;
    private int maxMessageBytes = 1 << 20;
    private Duration connectTimeout = Duration.ofSeconds(15);
    private StreamPosition resumeFrom;

    private Builder(URI serverUri, String room) {
      Objects.requireNonNull(serverUri, "serverUri");
      String scheme = serverUri.getScheme();
      if (!"ws".equals(scheme) && !"wss".equals(scheme)) {
        throw new IllegalArgumentException("serverUri must be ws:// or wss://, was " + serverUri);
      }
      if (!RoomNames.isValid(room)) {
        throw new IllegalArgumentException("invalid room name: " + room);
      }
      this.serverUri = serverUri;
      this.room = room;
    }

    /** Who gets the client's events (default: nobody). */
    public Builder listener(RoomcastClientListener listener) {
      this.listener = Objects.requireNonNull(listener, "listener");
      return this;
    }

    /** The reconnect delays (default {@link BackoffPolicy#defaults()}: 1 s, x2, 30 s, jitter). */
    public Builder backoff(BackoffPolicy backoff) {
      this.backoff = Objects.requireNonNull(backoff, "backoff");
      return this;
    }

    /**
     * The WebSocket container to connect with; share one among clients. Default: {@link
     * jakarta.websocket.ContainerProvider#getWebSocketContainer()}, created once per JVM (with
     * Tyrus, asked to share one transport among its connections).
     */
    public Builder container(WebSocketContainer container) {
      this.container = Objects.requireNonNull(container, "container");
      return this;
    }

    /**
     * The scheduler for reconnect timers; share one among clients. Default: one daemon thread per
     * JVM. The client never shuts it down.
     */
    public Builder scheduler(ScheduledExecutorService scheduler) {
      this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
      return this;
    }

    /**
     * Where the blocking {@code connectToServer} handshakes run. Default: a small shared pool of
     * daemon threads. The client never shuts it down.
     */
    public Builder connectExecutor(Executor connectExecutor) {
      this.connectExecutor = Objects.requireNonNull(connectExecutor, "connectExecutor");
      return this;
    }

    /** Handshake settings, e.g. a {@code Configurator} adding an {@code Authorization} header. */
    public Builder endpointConfig(ClientEndpointConfig endpointConfig) {
      this.endpointConfig = Objects.requireNonNull(endpointConfig, "endpointConfig");
      return this;
    }

    /**
     * The most frames waiting to be written (default {@value
     * RoomcastClient#DEFAULT_OFFLINE_QUEUE_CAPACITY}); beyond it, {@code send} returns {@code
     * false}.
     */
    public Builder offlineQueueCapacity(int capacity) {
      if (capacity < 1) {
        throw new IllegalArgumentException("offlineQueueCapacity must be >= 1, was " + capacity);
      }
      this.capacity = capacity;
      return this;
    }

    /** The largest frame the client accepts from the server (default 1 MiB). */
    public Builder maxMessageBytes(int maxMessageBytes) {
      if (maxMessageBytes < 1024) {
        throw new IllegalArgumentException(
            "maxMessageBytes must be >= 1024, was " + maxMessageBytes);
      }
      this.maxMessageBytes = maxMessageBytes;
      return this;
    }

    /**
     * How long a connection attempt may take from the start of the handshake to the server's
     * welcome (default 15 s); then the client gives up on it and reconnects with backoff. The
     * container's own handshake timeout (Tyrus: {@code ClientProperties.HANDSHAKE_TIMEOUT}, 30 s)
     * may end a hanging handshake earlier or later; this one also covers a server that accepted the
     * upgrade but never sends anything.
     */
    public Builder connectTimeout(Duration connectTimeout) {
      Objects.requireNonNull(connectTimeout, "connectTimeout");
      if (connectTimeout.toMillis() < 1) {
        throw new IllegalArgumentException("connectTimeout must be at least 1 ms");
      }
      this.connectTimeout = connectTimeout;
      return this;
    }

    /**
     * Resume from a position saved earlier (e.g. by a previous process) on the first connection.
     */
    public Builder resumeFrom(StreamPosition position) {
      this.resumeFrom = Objects.requireNonNull(position, "position");
      return this;
    }

    /** Builds the client and starts connecting in the background; returns at once. */
    public RoomcastClient connect() {
      return new RoomcastClient(this).start();
    }
  }
}
