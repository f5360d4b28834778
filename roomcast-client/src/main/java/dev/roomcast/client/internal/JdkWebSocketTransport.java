package dev.roomcast.client.internal;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * {@link WebSocketTransport} on the JDK's {@link java.net.http.WebSocket}. Thread-safe.
 *
 * <p>Why this one: it reports every way an attempt can end. Tyrus' client, which the Jakarta client
 * runs on, leaves {@code connectToServer} waiting for its handshake timeout when the server closes
 * the connection before answering the upgrade, which a server that is stopping does; the attempt
 * right after a 1012 lands exactly there (measured: every one of 4 drains stalled 15 s, the welcome
 * timeout). Here the same close fails the attempt at once.
 */
public final class JdkWebSocketTransport implements WebSocketTransport {
  private static final Logger LOG = Logger.getLogger(JdkWebSocketTransport.class.getName());

  /** How long a close we started may wait for the peer's close frame before we drop it. */
  private static final long CLOSE_GRACE_MILLIS = 2_000;

  private final HttpClient http;
  private final int maxMessageChars;

  /**
   * @param http the client to connect with (its executor runs the events)
   * @param maxMessageChars the longest text message accepted; a longer one drops the connection
   *     with 1009
   */
  public JdkWebSocketTransport(HttpClient http, int maxMessageChars) {
    this.http = http;
    this.maxMessageChars = maxMessageChars;
  }

  @Override
  public void connect(URI uri, Map<String, String> headers, Duration timeout, Events events) {
    Bridge bridge = new Bridge(events);
    CompletableFuture<WebSocket> attempt;
    try {
      WebSocket.Builder b = http.newWebSocketBuilder().connectTimeout(timeout);
      headers.forEach(b::header);
      attempt = b.buildAsync(uri, bridge);
    } catch (RuntimeException e) { // an illegal header, a closed client
      bridge.failed(e);
      return;
    }
    attempt.whenComplete(
        (ws, failure) -> {
          if (failure != null) {
            bridge.failed(failure);
          }
        });
  }

  @Override
  public int refusedStatus(Throwable connectFailure) {
    for (Throwable t = connectFailure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof WebSocketHandshakeException) {
        return ((WebSocketHandshakeException) t).getResponse().statusCode();
      }
    }
    return -1;
  }

  /** The JDK's listener for one connection, turned into {@link Events} once each. */
  private final class Bridge implements WebSocket.Listener {
    private final Events events;
    private final AtomicBoolean ended = new AtomicBoolean();
    private final StringBuilder partial = new StringBuilder();
    private volatile JdkSocket socket;

    Bridge(Events events) {
      this.events = events;
    }

    @Override
    public void onOpen(WebSocket ws) {
      JdkSocket s = new JdkSocket(ws, this);
      socket = s;
      events.onOpen(s);
      ws.request(1);
    }

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
      // the JDK calls this serially and not again before request(1)
      if (partial.length() + data.length() > maxMessageChars) {
        partial.setLength(0);
        ws.abort();
        if (ended.compareAndSet(false, true)) {
          events.onClosed(1009, "message from server larger than " + maxMessageChars + " chars");
        }
        return null;
      }
      partial.append(data);
      if (last) {
        String text = partial.toString();
        partial.setLength(0);
        if (!ended.get()) {
          events.onText(text);
        }
      }
      ws.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket ws, java.nio.ByteBuffer data, boolean last) {
      ws.request(1); // the protocol has none; ignored
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket ws, int code, String reason) {
      // returning null lets the JDK answer the close at once
      if (ended.compareAndSet(false, true)) {
        events.onClosed(code, reason);
      }
      return null;
    }

    @Override
    public void onError(WebSocket ws, Throwable error) {
      failed(error);
    }

    void failed(Throwable failure) {
      if (ended.compareAndSet(false, true)) {
        events.onFailed(failure);
      }
    }

    /** We ended it: no events from here on. */
    void silence() {
      ended.set(true);
    }
  }

  private static final class JdkSocket implements Socket {
    private final WebSocket ws;
    private final Bridge bridge;

    JdkSocket(WebSocket ws, Bridge bridge) {
      this.ws = ws;
      this.bridge = bridge;
    }

    @Override
    public CompletionStage<?> send(String text) {
      try {
        return ws.sendText(text, true);
      } catch (RuntimeException e) { // IllegalStateException: output closed
        return CompletableFuture.failedFuture(e);
      }
    }

    @Override
    public void close(int code, String reason) {
      bridge.silence();
      try {
        ws.sendClose(code, reason)
            .whenComplete(
                (r, e) ->
                    CompletableFuture.delayedExecutor(CLOSE_GRACE_MILLIS, TimeUnit.MILLISECONDS)
                        .execute(ws::abort));
      } catch (RuntimeException e) {
        LOG.log(Level.FINE, "close failed; dropping the connection", e);
        ws.abort();
      }
    }

    @Override
    public void abort() {
      bridge.silence();
      ws.abort();
    }
  }
}
