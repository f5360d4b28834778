package dev.roomcast.client;

import dev.roomcast.BackoffPolicy;
import dev.roomcast.CloseCodes;
import dev.roomcast.RoomNames;
import dev.roomcast.StreamPosition;
import dev.roomcast.client.internal.ClientDefaults;
import dev.roomcast.client.internal.Frames;
import dev.roomcast.client.internal.JdkWebSocketTransport;
import dev.roomcast.client.internal.ReceiveState;
import dev.roomcast.client.internal.ReconnectDecision;
import dev.roomcast.client.internal.ReconnectDecision.Ending;
import dev.roomcast.client.internal.RoomUris;
import dev.roomcast.client.internal.SerialEvents;
import dev.roomcast.client.internal.WebSocketTransport;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A roomcast client that does not lose messages: it stays in one room, reconnects after every
 * non-terminal close with {@link BackoffPolicy}, and resumes from the last position it saw ({@code
 * ?since=<offset>&epoch=<epoch>}), so every room message reaches the listener once, in order. Runs
 * on the JDK's {@link java.net.http.WebSocket}: no WebSocket container to add.
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
 * <h2>Lifecycle</h2>
 *
 * <pre>
 *   connect() ──► CONNECTING ──welcome──► OPEN ──close / failure──► RECONNECTING ──welcome──► OPEN
 *                     │                    │                           │   ▲  │
 *                     │                    │                           │   └──┘ attempt failed:
 *                     │                    │                           │        next backoff step
 *                     └────────────────────┴──── terminal ─────────────┴──────► CLOSED
 * </pre>
 *
 * A connection attempt counts only once the server's welcome arrived. An attempt that is refused
 * (TCP, HTTP 5xx, 408, 429), closed before its welcome (a draining server's 1012) or dropped during
 * the handshake fails at once and goes to the next backoff step; the connect timeout (default 15 s,
 * handshake to welcome; 1 s for an immediate reconnect, which may land on the instance that is
 * stopping) is the last resort for a server that accepts and then says nothing. Terminal: {@link
 * #close()}, a terminal close code ({@link CloseCodes#isTerminal}: 1000, 1003, 1008, 4500-4999), a
 * handshake refused with HTTP 4xx other than 408/429 (and other than 404 once the client has been
 * welcomed: a restarting server answers it), a backoff policy that gives up, a scheduler that
 * refuses work. {@link RoomcastClientListener#onClose} follows exactly once. 1012 and 4001 on a
 * welcomed connection, and a gap, reconnect at once; everything else after {@code
 * backoff.delayMillis(n)} for the n-th consecutive failed attempt (reset by a welcome).
 *
 * <h2>Receiving</h2>
 *
 * The client keeps the epoch and offset of the last room message (or of the welcome when none came
 * yet) and resumes from it. A message whose offset it already delivered in the same epoch is
 * dropped ({@link #duplicatesDropped()}). An offset that jumps ahead within an epoch is a gap: the
 * client closes the connection ({@value #GAP_CLOSE_CODE}) and resumes at once from the last offset
 * it delivered ({@link #gapsDetected()}). Messages a resume replays are marked {@link
 * ReceivedMessage#replayed()}. A welcome with {@code recovered: false} means the server could not
 * fill a gap (history trimmed or lost): {@link Welcome#recovered()}.
 *
 * <h2>Sending and the offline queue</h2>
 *
 * {@link #sendJson} and {@link #sendText} put the frame in the client's outgoing queue, written in
 * order, one frame in flight, while a connection is open and welcomed, and held while there is
 * none. It holds at most {@link Builder#offlineQueueCapacity} frames (default {@value
 * #DEFAULT_OFFLINE_QUEUE_CAPACITY}): when it is full, {@code send} returns {@code false} and the
 * frame is not queued — nothing queued is ever dropped. {@code send} returns {@code false} once the
 * client is closed. A frame whose write failed is written again after the reconnect; a frame whose
 * write completed counts as sent (protocol v1 has no publish acknowledgement).
 *
 * <h2>Threads</h2>
 *
 * Thread-safe: every method may be called from any thread, including from listener callbacks.
 * Clients share one {@link HttpClient} ({@link Builder#httpClient}) and one timer thread ({@link
 * Builder#scheduler}); a client has no thread of its own, and no method waits for the network
 * (attempts start on the timer thread, where the JDK resolves the server's host name). {@link
 * #close()} cancels the pending timer and closes the connection; nothing of the client runs
 * afterwards.
 */
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

  private final URI baseUri;
  private final String room;
  private final RoomcastClientListener listener;
  private final BackoffPolicy backoff;
  private final WebSocketTransport transport;
  private final ScheduledExecutorService scheduler;
  private final Map<String, String> headers;
  private final int capacity;
  private final Duration connectTimeout;
  private final Duration immediateReconnectTimeout;
  private final SerialEvents events = new SerialEvents();

  // All mutable state below is guarded by lock. Listener calls are queued in events under it and
  // run after it is released; socket I/O never happens under it.
  private final Object lock = new Object();
  private final ReceiveState receive;
  private final ArrayDeque<String> outgoing = new ArrayDeque<>();
  private State state = State.CONNECTING;

  /** The current attempt or connection; null while waiting to reconnect or once closed. */
  private Link link;

  /** The pending reconnect. */
  private ScheduledFuture<?> timer;

  /** Consecutive failed attempts; reset by a welcome. */
  private int failures;

  private String clientId;
  private long connections;

  private RoomcastClient(Builder b) {
    this.baseUri = b.serverUri;
    this.room = b.room;
    this.listener = b.listener;
    this.backoff = b.backoff;
    this.transport =
        new JdkWebSocketTransport(
            b.httpClient != null ? b.httpClient : ClientDefaults.httpClient(), b.maxMessageChars);
    this.scheduler = b.scheduler != null ? b.scheduler : ClientDefaults.scheduler();
    this.headers = Map.copyOf(b.headers);
    this.capacity = b.capacity;
    this.connectTimeout = b.connectTimeout;
    this.immediateReconnectTimeout =
        b.immediateReconnectTimeout.compareTo(b.connectTimeout) < 0
            ? b.immediateReconnectTimeout
            : b.connectTimeout;
    this.receive = new ReceiveState(room, b.resumeFrom);
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

  // ---- sending

  /**
   * Sends {@code {"content": <contentJson>}} now or, while offline, after the next welcome.
   *
   * @param contentJson any JSON value as text
   * @return {@code false} when the outgoing queue is full or the client is closed (the message is
   *     not sent), else {@code true}
   * @throws IllegalArgumentException when {@code contentJson} is not one JSON value
   */
  public boolean sendJson(String contentJson) {
    Objects.requireNonNull(contentJson, "contentJson");
    return enqueue(Frames.contentFrame(contentJson));
  }

  /**
   * As {@link #sendJson(String)}, with the application's own {@code id} for this message: an error
   * frame that refuses it names it ({@link RoomcastClientListener#onServerError(String, String)}).
   *
   * @param id at most 64 characters; not relayed to the room
   * @throws IllegalArgumentException when {@code contentJson} is not one JSON value or {@code id}
   *     is longer than 64 characters
   */
  public boolean sendJson(String contentJson, String id) {
    Objects.requireNonNull(contentJson, "contentJson");
    Objects.requireNonNull(id, "id");
    return enqueue(Frames.contentFrame(contentJson, id));
  }

  /**
   * Sends {@code {"content": "<text>"}}, the chat page's message shape.
   *
   * @return {@code false} when the outgoing queue is full or the client is closed
   */
  public boolean sendText(String text) {
    Objects.requireNonNull(text, "text");
    return enqueue(Frames.textFrame(text));
  }

  /**
   * As {@link #sendText(String)}, with the application's own {@code id} for this message (see
   * {@link #sendJson(String, String)}).
   */
  public boolean sendText(String text, String id) {
    Objects.requireNonNull(text, "text");
    Objects.requireNonNull(id, "id");
    return enqueue(Frames.textFrame(text, id));
  }

  private boolean enqueue(String frame) {
    Link l;
    synchronized (lock) {
      if (state == State.CLOSED || outgoing.size() >= capacity) {
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
      return Optional.ofNullable(receive.position());
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
      return receive.duplicates();
    }
  }

  /** Offset jumps within an epoch that made the client resume. */
  public long gapsDetected() {
    synchronized (lock) {
      return receive.gaps();
    }
  }

  /**
   * Closes the client for good: cancels a pending reconnect, closes the connection with 1000,
   * discards queued frames and calls {@link RoomcastClientListener#onClose} (1000) unless the
   * client had closed already. Idempotent; returns without waiting for the server's close frame.
   */
  @Override
  public void close() {
    terminate(CloseCodes.NORMAL, "closed by client");
  }

  @Override
  public String toString() {
    synchronized (lock) {
      return "RoomcastClient{"
          + baseUri
          + " room="
          + room
          + " "
          + state
          + " at "
          + receive.position()
          + "}";
    }
  }

  // ---- the state machine

  private RoomcastClient start() {
    synchronized (lock) {
      scheduleAttemptLocked(0, false);
    }
    events.drain();
    return this;
  }

  /** Arms the next attempt; on a scheduler that refuses, the client ends. */
  private void scheduleAttemptLocked(long delayMillis, boolean immediate) {
    try {
      timer = scheduler.schedule(() -> attempt(immediate), delayMillis, TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      terminateLocked(ReconnectDecision.ABNORMAL, "scheduler rejected the connection attempt");
    }
  }

  /**
   * One connection attempt. An immediate one (after 1012 or 4001 on a welcomed connection, or a
   * gap) gets the short {@link Builder#immediateReconnectTimeout}: it may land on the instance that
   * is stopping, which can accept the TCP connection and then never answer the upgrade (Grizzly
   * does, for connections it accepts while shutting down); a healthy instance answers in
   * milliseconds, and abandoning a slow one costs only a step to the backoff.
   */
  private void attempt(boolean immediate) {
    Link l;
    URI uri;
    Duration timeout = immediate ? immediateReconnectTimeout : connectTimeout;
    synchronized (lock) {
      timer = null;
      if (state == State.CLOSED) {
        return;
      }
      receive.connectionStarted();
      uri = RoomUris.of(baseUri, room, receive.position());
      l = new Link(uri, timeout);
      link = l;
      try {
        l.welcomeTimer =
            scheduler.schedule(l::welcomeTimedOut, timeout.toMillis(), TimeUnit.MILLISECONDS);
      } catch (RejectedExecutionException e) {
        terminateLocked(ReconnectDecision.ABNORMAL, "scheduler rejected the connect timeout");
      }
    }
    events.drain();
    if (l.welcomeTimer != null) {
      transport.connect(uri, headers, timeout, l);
    }
  }

  /** What follows the end of the current link; called once per link, under the lock. */
  private void linkEndedLocked(Ending ending) {
    ReconnectDecision.Outcome next = ReconnectDecision.after(ending, failures, backoff);
    if (next.terminal()) {
      terminateLocked(next.code(), next.reason());
      return;
    }
    failures = next.failures();
    state = State.RECONNECTING;
    Reconnecting r =
        new Reconnecting(
            next.attempt(), Duration.ofMillis(next.delayMillis()), next.code(), next.reason());
    events.add(() -> listener.onReconnecting(r));
    // never connect on the thread that reported the close: it is the HTTP client's reader
    scheduleAttemptLocked(next.delayMillis(), next.delayMillis() == 0);
  }

  /** The one way to CLOSED, from {@link #close()} or a terminal condition. */
  private void terminate(int code, String reason) {
    synchronized (lock) {
      terminateLocked(code, reason);
    }
    events.drain();
  }

  private void terminateLocked(int code, String reason) {
    if (state == State.CLOSED) {
      return;
    }
    state = State.CLOSED;
    if (timer != null) {
      timer.cancel(false);
      timer = null;
    }
    Link l = link;
    link = null;
    if (l != null) {
      l.endLocked();
      // a socket is closed after the listener's onClose is queued, outside the lock: the close
      // frame must be our 1000 when the client was closed, and I/O never runs under the lock
      WebSocketTransport.Socket s = l.socket;
      if (s != null) {
        events.add(() -> s.close(CloseCodes.NORMAL, "client closed"));
      }
    }
    outgoing.clear();
    LOG.log(Level.FINE, () -> "roomcast client for " + room + " closed: " + code + " " + reason);
    events.add(() -> listener.onClose(code, reason));
  }

  // ---- one attempt and, once open, its connection

  /**
   * One connection attempt and, if it opens, the connection. Events of a link that is no longer the
   * client's current one are ignored. Fields guarded by the client's lock.
   */
  private final class Link implements WebSocketTransport.Events {
    private final URI uri;
    private final Duration timeout;
    private WebSocketTransport.Socket socket;
    private ScheduledFuture<?> welcomeTimer;
    private boolean welcomed;
    private boolean ended;
    private boolean writing;

    Link(URI uri, Duration timeout) {
      this.uri = uri;
      this.timeout = timeout;
    }

    private boolean currentLocked() {
      return link == this && !ended;
    }

    @Override
    public void onOpen(WebSocketTransport.Socket s) {
      boolean stale;
      synchronized (lock) {
        stale = !currentLocked();
        if (!stale) {
          socket = s;
        }
      }
      if (stale) {
        s.close(CloseCodes.NORMAL, "client closed"); // closed or timed out during the handshake
      }
    }

    @Override
    public void onText(String text) {
      WebSocketTransport.Socket gapped = null;
      synchronized (lock) {
        if (!currentLocked()) {
          return;
        }
        ReceiveState.Event e = receive.receive(text);
        if (e instanceof ReceiveState.Opened) {
          Welcome w = ((ReceiveState.Opened) e).welcome();
          welcomed = true;
          welcomeTimer.cancel(false);
          failures = 0;
          connections++;
          clientId = w.clientId();
          state = State.OPEN;
          events.add(() -> listener.onOpen(w));
        } else if (e instanceof ReceiveState.Message) {
          ReceivedMessage m = ((ReceiveState.Message) e).message();
          events.add(() -> listener.onMessage(m));
        } else if (e instanceof ReceiveState.Gap) {
          ReceiveState.Gap g = (ReceiveState.Gap) e;
          LOG.fine(
              () ->
                  "roomcast client for "
                      + room
                      + ": offset "
                      + g.received()
                      + " after "
                      + g.after().offset()
                      + "; resuming");
          gapped = socket;
          endedLocked(Ending.gap(GAP_CLOSE_CODE, "gap after offset " + g.after().offset()));
        } else if (e instanceof ReceiveState.NoticeReceived) {
          Notice n = ((ReceiveState.NoticeReceived) e).notice();
          events.add(() -> listener.onNotice(n));
        } else if (e instanceof ReceiveState.ServerError) {
          ReceiveState.ServerError error = (ReceiveState.ServerError) e;
          events.add(() -> listener.onServerError(error.message(), error.id()));
        }
        // Duplicate, Ignored: nothing to tell
      }
      if (gapped != null) {
        gapped.close(GAP_CLOSE_CODE, "gap detected; resuming");
      }
      events.drain();
      pump();
    }

    @Override
    public void onClosed(int code, String reason) {
      synchronized (lock) {
        if (currentLocked()) {
          endedLocked(Ending.closed(code, reason, welcomed));
        }
      }
      events.drain();
    }

    @Override
    public void onFailed(Throwable failure) {
      int status = transport.refusedStatus(failure);
      synchronized (lock) {
        if (currentLocked()) {
          events.add(() -> listener.onError(failure));
          String why =
              socket == null
                  ? "connect to " + uri + " failed: " + failure
                  : "connection failed: " + failure;
          endedLocked(Ending.failed(why, welcomed, status, connections > 0));
        }
      }
      events.drain();
    }

    /**
     * No welcome within the connect timeout: a handshake that hangs, or a server that accepted the
     * upgrade and says nothing. The last resort: refusals and closes end an attempt at once.
     */
    void welcomeTimedOut() {
      WebSocketTransport.Socket s;
      synchronized (lock) {
        if (!currentLocked() || welcomed) {
          return;
        }
        s = socket;
        String why = "no welcome within " + timeout.toMillis() + " ms";
        events.add(() -> listener.onError(new IOException(why)));
        endedLocked(Ending.failed(why, false, -1, connections > 0));
      }
      if (s != null) {
        s.abort();
      }
      events.drain();
    }

    /** This link is over: decide what follows. */
    private void endedLocked(Ending ending) {
      endLocked();
      link = null;
      linkEndedLocked(ending);
    }

    /** No more events of this link count; its timer is cancelled. */
    void endLocked() {
      ended = true;
      if (welcomeTimer != null) {
        welcomeTimer.cancel(false);
      }
    }

    /** Writes queued frames, one in flight at a time, while this link is current and welcomed. */
    void pump() {
      String frame;
      WebSocketTransport.Socket s;
      synchronized (lock) {
        if (!currentLocked() || !welcomed || writing || outgoing.isEmpty()) {
          return;
        }
        frame = outgoing.pollFirst();
        writing = true;
        s = socket;
      }
      s.send(frame).whenComplete((r, failure) -> written(frame, failure));
    }

    private void written(String frame, Throwable failure) {
      WebSocketTransport.Socket broken = null;
      synchronized (lock) {
        writing = false;
        if (failure != null) {
          // not (completely) written, so the server cannot have published it: send it again on
          // the next connection, ahead of anything queued after it — unless that connection is
          // already writing, which would reorder it
          Link next = link;
          if (state != State.CLOSED && (next == this || next == null || !next.welcomed)) {
            outgoing.addFirst(frame);
          } else {
            LOG.fine(() -> "roomcast client for " + room + ": a frame whose write failed is lost");
          }
          if (currentLocked()) {
            broken = socket;
            events.add(() -> listener.onError(failure));
            endedLocked(Ending.failed("write failed: " + failure, welcomed, -1, true));
          }
        }
      }
      if (broken != null) {
        broken.abort();
      }
      events.drain();
      if (failure == null) {
        pump();
      }
    }
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
    private HttpClient httpClient;
    private ScheduledExecutorService scheduler;
    private final Map<String, String> headers = new LinkedHashMap<>();
    private int capacity = DEFAULT_OFFLINE_QUEUE_CAPACITY;
    private int maxMessageChars = 1 << 20;
    private Duration connectTimeout = Duration.ofSeconds(15);
    private Duration immediateReconnectTimeout = Duration.ofSeconds(1);
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
     * The HTTP client to connect with (proxy, TLS, executor); share one among clients. Default: one
     * {@link HttpClient#newHttpClient()} per JVM. The client never closes it.
     */
    public Builder httpClient(HttpClient httpClient) {
      this.httpClient = Objects.requireNonNull(httpClient, "httpClient");
      return this;
    }

    /**
     * The scheduler for connection attempts and timeouts; share one among clients. Default: one
     * daemon thread per JVM. The client never shuts it down; one that refuses work ends the client.
     */
    public Builder scheduler(ScheduledExecutorService scheduler) {
      this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
      return this;
    }

    /** A header sent with every handshake, e.g. {@code Authorization: Bearer ...}. */
    public Builder header(String name, String value) {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(value, "value");
      headers.put(name, value);
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

    /**
     * The longest message the client accepts from the server, in characters (default 1 Mi); a
     * longer one drops the connection (reported as 1009) and the client reconnects with backoff.
     */
    public Builder maxMessageChars(int maxMessageChars) {
      if (maxMessageChars < 1024) {
        throw new IllegalArgumentException(
            "maxMessageChars must be >= 1024, was " + maxMessageChars);
      }
      this.maxMessageChars = maxMessageChars;
      return this;
    }

    /**
     * How long a connection attempt may take from its start to the server's welcome (default 15 s);
     * then the client gives up on it and goes to the next backoff step. A last resort: refused,
     * dropped and closed attempts end at once.
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
     * How long an immediate reconnect (after 1012 or 4001 on a welcomed connection, or to resume
     * across a gap) may take to its welcome (default 1 s, at most the connect timeout); then it is
     * abandoned and the client goes to the first backoff step, where the full connect timeout
     * applies. Such an attempt may land on the instance that is stopping, which can accept the
     * connection and never answer it.
     */
    public Builder immediateReconnectTimeout(Duration timeout) {
      Objects.requireNonNull(timeout, "timeout");
      if (timeout.toMillis() < 1) {
        throw new IllegalArgumentException("immediateReconnectTimeout must be at least 1 ms");
      }
      this.immediateReconnectTimeout = timeout;
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
