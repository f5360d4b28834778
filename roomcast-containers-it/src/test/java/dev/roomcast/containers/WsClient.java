package dev.roomcast.containers;

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

/** A JDK WebSocket client for tests: queues received frames as JSON, records the close. */
final class WsClient implements WebSocket.Listener, AutoCloseable {
  static final Duration WAIT = Duration.ofSeconds(10);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  /** A close as the client saw it. */
  record Close(int code, String reason) {}

  private final BlockingQueue<String> frames = new LinkedBlockingQueue<>();
  private final CompletableFuture<Close> closed = new CompletableFuture<>();
  private final StringBuilder partial = new StringBuilder();
  private WebSocket ws;

  static WsClient connect(URI uri) {
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

  @Override
  public void onOpen(WebSocket webSocket) {
    webSocket.request(1);
  }

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

  @Override
  public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
    webSocket.request(1);
    return null;
  }

  @Override
  public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
    closed.complete(new Close(statusCode, reason));
    return null;
  }

  @Override
  public void onError(WebSocket webSocket, Throwable error) {
    closed.complete(new Close(1006, String.valueOf(error)));
  }

  /** The next frame, parsed; fails after {@link #WAIT}. */
  JsonNode next() {
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

  /** The next frame with this {@code type}, skipping others. */
  JsonNode next(String type) {
    while (true) {
      JsonNode n = next();
      if (type.equals(n.path("type").asText())) {
        return n;
      }
    }
  }

  /** Fails if a frame arrives within {@code quiet}. */
  void assertNoFrameWithin(Duration quiet) {
    try {
      String f = frames.poll(quiet.toMillis(), TimeUnit.MILLISECONDS);
      if (f != null) {
        fail("unexpected frame: " + f);
      }
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
  }

  void send(String text) {
    ws.sendText(text, true).orTimeout(WAIT.toMillis(), TimeUnit.MILLISECONDS).join();
  }

  void sendBinary(byte[] data) {
    ws.sendBinary(ByteBuffer.wrap(data), true)
        .orTimeout(WAIT.toMillis(), TimeUnit.MILLISECONDS)
        .join();
  }

  boolean isClosed() {
    return closed.isDone();
  }

  Close awaitClose() {
    return awaitClose(WAIT);
  }

  Close awaitClose(Duration timeout) {
    try {
      return closed.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      throw new AssertionError("not closed within " + timeout, e);
    }
  }

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
