package dev.roomcast.jakarta.testkit;

import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A WebSocket client for tests on the JDK's {@link java.net.http.WebSocket}: queues every received
 * text message (reassembled from its fragments) to be read as JSON, ignores binary messages, and
 * records how the connection closed. It behaves like a well-written peer (the JDK answers pings);
 * for malformed traffic or a peer that never pongs use {@link RawWebSocket}.
 *
 * <p>Every wait is bounded by {@link #WAIT} and fails the test (with an {@link AssertionError}).
 *
 * <p>Thread-safety: the received messages are handed over from the JDK's listener thread through a
 * concurrent queue, so one thread may read ({@link #next()}, {@link #awaitClose()}) while another
 * sends. {@link #send} and {@link #sendBinary} wait until their message is written; calls on one
 * client must not overlap (the JDK allows one outstanding send per WebSocket and throws {@link
 * IllegalStateException} otherwise). Messages are meant to be taken by one reading thread.
 */
public final class WsClient implements WebSocket.Listener, AutoCloseable {
  /** How long each wait (connect, next frame, send, close) lasts before the test fails. */
  public static final Duration WAIT = Duration.ofSeconds(10);

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  /**
   * A close as the client saw it: the server's close code and reason, or 1006 and the error when
   * the connection failed without a close frame.
   */
  public record Close(int code, String reason) {}

  private final BlockingQueue<String> frames = new LinkedBlockingQueue<>();
  private final CompletableFuture<Close> closed = new CompletableFuture<>();
  private final StringBuilder partial = new StringBuilder(); // listener thread only
  private WebSocket ws;

  private WsClient() {}

  /**
   * Opens a WebSocket to {@code uri} ({@code ws://...}); fails the test if that takes {@link
   * #WAIT}.
   */
  public static WsClient connect(URI uri) {
    WsClient c = new WsClient();
    try {
      c.ws =
          HTTP.newWebSocketBuilder()
              .connectTimeout(WAIT)
              .buildAsync(uri, c)
              .get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      throw new AssertionError("could not connect to " + uri, e);
    }
    return c;
  }

  /** Listener callback; not for tests. */
  @Override
  public void onOpen(WebSocket webSocket) {
    webSocket.request(1);
  }

  /** Listener callback; not for tests. */
  @Override
  public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
    partial.append(data);
    if (last) {
      frames.add(partial.toString());
      partial.setLength(0);
    }
    webSocket.request(1);
    return null;
  }

  /** Listener callback; not for tests. */
  @Override
  public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
    webSocket.request(1);
    return null;
  }

  /** Listener callback; not for tests. */
  @Override
  public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
    closed.complete(new Close(statusCode, reason));
    return null;
  }

  /** Listener callback; not for tests. */
  @Override
  public void onError(WebSocket webSocket, Throwable error) {
    closed.complete(new Close(1006, String.valueOf(error)));
  }

  /** The next text message, parsed as JSON; fails after {@link #WAIT}. */
  public JsonNode next() {
    try {
      String f = frames.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
      if (f == null) {
        fail("no frame within " + WAIT + (closed.isDone() ? "; closed: " + closed.join() : ""));
      }
      return JSON.readTree(f);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  /** The next message whose {@code "type"} is {@code type}, skipping (and dropping) others. */
  public JsonNode next(String type) {
    while (true) {
      JsonNode n = next();
      if (type.equals(n.path("type").asText())) {
        return n;
      }
    }
  }

  /** Fails if a message arrives within {@code quiet}. */
  public void assertNoFrameWithin(Duration quiet) {
    try {
      String f = frames.poll(quiet.toMillis(), TimeUnit.MILLISECONDS);
      if (f != null) {
        fail("unexpected frame: " + f);
      }
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
  }

  /** Sends {@code text} as one text message and waits (at most {@link #WAIT}) until it is sent. */
  public void send(String text) {
    ws.sendText(text, true).orTimeout(WAIT.toMillis(), TimeUnit.MILLISECONDS).join();
  }

  /**
   * Sends {@code data} as one binary message and waits (at most {@link #WAIT}) until it is sent.
   */
  public void sendBinary(byte[] data) {
    ws.sendBinary(ByteBuffer.wrap(data), true)
        .orTimeout(WAIT.toMillis(), TimeUnit.MILLISECONDS)
        .join();
  }

  /** Whether the connection has closed (a close frame arrived or it failed). */
  public boolean isClosed() {
    return closed.isDone();
  }

  /** Waits up to {@link #WAIT} for the connection to close; fails if it does not. */
  public Close awaitClose() {
    return awaitClose(WAIT);
  }

  /** Waits up to {@code timeout} for the connection to close; fails if it does not. */
  public Close awaitClose(Duration timeout) {
    try {
      return closed.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      throw new AssertionError("not closed within " + timeout, e);
    }
  }

  /** Sends a normal close (1000) if the output is still open, then drops the connection. */
  @Override
  public void close() {
    if (ws != null && !ws.isOutputClosed()) {
      ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye");
    }
    if (ws != null) {
      ws.abort();
    }
  }
}
