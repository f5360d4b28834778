package dev.roomcast.jakarta.sse;

import dev.roomcast.CloseCodes;
import dev.roomcast.Connection;
import dev.roomcast.HandshakeRequest;
import dev.roomcast.Hub;
import dev.roomcast.JoinRejectedException;
import dev.roomcast.JoinRequest;
import dev.roomcast.spi.OutboundFrame;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Server-Sent Events subscriptions to a {@link Hub}, independent of any container: authenticates,
 * parses the resume position, joins the hub receive-only, and runs the heartbeats. Container
 * adapters (the example server's Grizzly handler, {@code dev.roomcast.jakarta.servlet}) use it like
 * this:
 *
 * <pre>{@code
 * SseStream stream;
 * try {
 *   stream = sse.open(HandshakeRequest.of(room, headers, query, remoteAddress));
 * } catch (JoinRejectedException e) {
 *   // not streaming yet: if sse.reconnectLater(e), answer 200 with sse.retryOnlyBody();
 *   // otherwise e.httpStatus() with SseEvents.errorJson(e.getMessage())
 * }
 * // status 200 and SseEndpoint.RESPONSE_HEADERS, then:
 * stream.start(sink);                      // the container's non-blocking writer
 * // when the client goes away: stream.transportClosed();
 * }</pre>
 *
 * <p>Subscribers are ordinary room members ({@link JoinRequest#receiveOnly()}): counted in the
 * hub's metrics, bounded by the outbox, closed by drain. Thread-safe. One scheduler thread per
 * endpoint runs every stream's heartbeat; {@link #close()} stops it (streams are closed by the hub,
 * in {@link Hub#drain} and {@link Hub#close}).
 */
public final class SseEndpoint implements AutoCloseable {
  /** The headers of a streaming response, besides status 200. */
  public static final Map<String, String> RESPONSE_HEADERS =
      Map.of(
          "Content-Type", SseEvents.CONTENT_TYPE + ";charset=utf-8",
          "Cache-Control", "no-cache",
          // nginx and some ingresses buffer responses unless told not to
          "X-Accel-Buffering", "no");

  private final Hub hub;
  private final SseConfig config;
  private final ScheduledThreadPoolExecutor scheduler;
  private final AtomicInteger open = new AtomicInteger();
  private final AtomicLong opened = new AtomicLong();
  private final AtomicLong stalled = new AtomicLong();
  private volatile Encoded lastEncoded;

  /** The last frame encoded, so a broadcast to many SSE members is encoded once. */
  private record Encoded(OutboundFrame frame, byte[] bytes) {}

  private SseEndpoint(Hub hub, SseConfig config) {
    this.hub = Objects.requireNonNull(hub, "hub");
    this.config = Objects.requireNonNull(config, "config");
    this.scheduler =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread t = new Thread(r, "roomcast-sse-heartbeat");
              t.setDaemon(true);
              return t;
            });
    scheduler.setRemoveOnCancelPolicy(true);
    scheduler.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
  }

  /** An endpoint serving {@code hub} with {@code config}. */
  public static SseEndpoint create(Hub hub, SseConfig config) {
    return new SseEndpoint(hub, config);
  }

  /** The hub subscribers join. */
  public Hub hub() {
    return hub;
  }

  /** The timing settings. */
  public SseConfig config() {
    return config;
  }

  /**
   * Admits one subscriber: authenticates, parses the resume position ({@code Last-Event-ID} first,
   * then {@code ?since=&epoch=}), and joins the room receive-only. Nothing is written yet: the
   * welcome (and on a resume, the missed messages) wait in the returned stream until {@link
   * SseStream#start}.
   *
   * @throws JoinRejectedException when refused, before anything was streamed: {@link
   *     JoinRejectedException#httpStatus()} is 400 (bad room or position), 401 (authentication),
   *     403 (not allowed to join), 503 (full, or draining: see {@link #reconnectLater})
   */
  public SseStream open(HandshakeRequest handshake) {
    JoinRequest request = SseRequests.join(hub, handshake);
    SseStream stream = new SseStream(this);
    open.incrementAndGet();
    Connection c;
    try {
      c = hub.join(request, stream);
    } catch (RuntimeException e) {
      open.decrementAndGet();
      throw e;
    }
    opened.incrementAndGet();
    stream.attach(c);
    return stream;
  }

  /**
   * Whether a refusal should be answered with {@link #retryOnlyBody()} (status 200) rather than an
   * error status: the server is draining or stopping (close code 1012, "reconnect now"). A
   * browser's {@code EventSource} gives up for good on any non-200 answer, but after a stream that
   * ends it reconnects by itself after the {@code retry:} delay, by then to an instance that is up.
   * This is the SSE form of the WebSocket endpoint accepting the handshake and closing with 1012.
   */
  public boolean reconnectLater(JoinRejectedException refusal) {
    return refusal.closeCode() == CloseCodes.SERVICE_RESTART;
  }

  /**
   * The whole body of a stream that only tells the client to come back: the {@code retry:} hint.
   */
  public byte[] retryOnlyBody() {
    return SseEvents.retry(config.retry());
  }

  /** Streams open now (admitted and not closed). */
  public int openStreams() {
    return open.get();
  }

  /** Streams admitted since start. */
  public long streamsOpened() {
    return opened.get();
  }

  /** Streams closed because a write stayed unfinished past {@link SseConfig#writeTimeout()}. */
  public long streamsStalled() {
    return stalled.get();
  }

  /** Stops the heartbeat thread. Idempotent. Does not close streams (the hub does). */
  @Override
  public void close() {
    scheduler.shutdownNow();
  }

  // ---- for SseStream

  byte[] encode(OutboundFrame frame) {
    Encoded last = lastEncoded;
    if (last != null && last.frame == frame) {
      return last.bytes;
    }
    byte[] bytes = SseEvents.event(frame, SseEvents.idOf(frame));
    lastEncoded = new Encoded(frame, bytes);
    return bytes;
  }

  ScheduledFuture<?> scheduleHeartbeat(SseStream stream) {
    if (!config.heartbeatEnabled()) {
      return null;
    }
    long period = config.heartbeat().toNanos();
    try {
      return scheduler.scheduleAtFixedRate(stream::heartbeat, period, period, TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) {
      return null; // endpoint closed: no heartbeats, the stream still works
    }
  }

  void streamClosed() {
    open.decrementAndGet();
  }

  void countStalled() {
    stalled.incrementAndGet();
  }
}
