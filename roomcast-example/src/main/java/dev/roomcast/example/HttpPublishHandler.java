package dev.roomcast.example;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.roomcast.AuthenticationException;
import dev.roomcast.BackplaneUnavailableException;
import dev.roomcast.Hub;
import dev.roomcast.Identity;
import dev.roomcast.JoinRejectedException;
import dev.roomcast.Published;
import dev.roomcast.jakarta.sse.SseEvents;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.glassfish.grizzly.http.server.Request;
import org.glassfish.grizzly.http.server.Response;

/**
 * {@code POST /rooms/{room}/messages} with {@code {"content": <any JSON>}}: publishes into the room
 * as client id {@code "server"}, like a WebSocket member would, so WebSocket and SSE members alike
 * receive it. Answers {@code 200 {"room","offset","epoch"}} once the backplane stored it, or {@code
 * {"error": "..."}} with 400 (invalid JSON, not an object, bad room name, nested too deeply),
 * 401/403 ({@link Hub#authenticate} / {@link Hub#publishAs}), 413 (body over {@code
 * maxMessageBytes}, or content over {@code maxContentBytes}), 503 (backplane unavailable, or the
 * server is draining).
 *
 * <p>The body is read up to its {@code Content-Length}, or without one up to the limit plus one
 * byte, never further. While the backplane works, the response is suspended instead of holding a
 * worker thread. Thread-safe.
 */
final class HttpPublishHandler {
  private static final Logger LOG = Logger.getLogger(HttpPublishHandler.class.getName());

  /** A publish the backplane has not answered by then is reported as delivery unknown. */
  private static final Duration PUBLISH_TIMEOUT = Duration.ofSeconds(10);

  private final Hub hub;
  private final BooleanSupplier draining;
  private final ObjectMapper json;

  HttpPublishHandler(Hub hub, BooleanSupplier draining) {
    this.hub = hub;
    this.draining = draining;
    // the same nesting limit as a WebSocket frame: the {"content": ...} wrapper counts
    this.json =
        new ObjectMapper(
            JsonFactory.builder()
                .streamReadConstraints(
                    StreamReadConstraints.builder()
                        .maxNestingDepth(hub.limits().maxJsonDepth())
                        .build())
                .build());
    json.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
  }

  void handle(Request request, Response response, Map<String, String> params) throws IOException {
    String room = params.get("room");
    if (draining.getAsBoolean()) {
      error(response, 503, "server is draining; publish to another instance");
      return;
    }
    Identity who;
    try {
      who = hub.authenticate(HttpRequests.handshake(room, request));
    } catch (AuthenticationException e) {
      error(response, 401, e.getMessage());
      return;
    } catch (IllegalArgumentException e) { // a malformed query string
      error(response, 400, e.getMessage());
      return;
    }
    int max = hub.limits().maxMessageBytes();
    long declared = request.getContentLengthLong();
    if (declared > max) {
      tooLarge(response, max);
      return;
    }
    // With a Content-Length, read exactly that much rather than to the end of the stream: a
    // request that also asked for an h2c upgrade is not delimited by the codec.
    byte[] body = readAtMost(request.getInputStream(), declared >= 0 ? (int) declared : max + 1);
    if (body.length > max) {
      tooLarge(response, max);
      return;
    }
    if (declared >= 0 && body.length < declared) {
      error(response, 400, "incomplete request body");
      return;
    }
    String content;
    try {
      content = content(body);
    } catch (IllegalArgumentException e) {
      error(response, 400, e.getMessage());
      return;
    }
    int maxContent = hub.limits().maxContentBytes();
    if (content.getBytes(StandardCharsets.UTF_8).length > maxContent) {
      error(response, 413, "content too large (max " + maxContent + " bytes)");
      return;
    }
    CompletableFuture<Published> published;
    try {
      published = hub.publishAs(who, room, content, "server").toCompletableFuture();
    } catch (JoinRejectedException e) {
      error(response, e.httpStatus(), e.getMessage()); // the room name
      return;
    }
    if (published.isDone()) {
      answer(response, published);
      return;
    }
    response.suspend();
    published
        .orTimeout(PUBLISH_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
        // not on the backplane's thread: writing the answer is I/O
        .whenCompleteAsync(
            (p, e) -> {
              try {
                answer(response, published);
              } catch (IOException | RuntimeException ex) {
                LOG.log(Level.FINE, "answering an HTTP publish failed", ex);
              } finally {
                response.resume();
              }
            });
  }

  /**
   * The compact JSON of the body's {@code content} ({@code ""} when missing, as over WebSocket).
   */
  private String content(byte[] body) {
    JsonNode root;
    try {
      root = json.readTree(body);
    } catch (StreamConstraintsException e) {
      throw new IllegalArgumentException("JSON nested too deeply");
    } catch (IOException e) {
      throw new IllegalArgumentException("Invalid JSON format");
    }
    if (root == null || root.isMissingNode()) {
      throw new IllegalArgumentException("Invalid JSON format");
    }
    if (!root.isObject()) {
      throw new IllegalArgumentException("Message must be a JSON object like {\"content\": ...}");
    }
    JsonNode content = root.get("content");
    if (content == null) {
      return "\"\"";
    }
    try {
      return json.writeValueAsString(content);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("Invalid JSON format");
    }
  }

  private void answer(Response response, CompletableFuture<Published> published)
      throws IOException {
    Published p;
    try {
      p = published.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      error(response, 503, "message not delivered: interrupted");
      return;
    } catch (ExecutionException e) {
      failure(response, e.getCause());
      return;
    }
    Responses.json(
        response,
        200,
        json.createObjectNode()
            .put("room", p.room())
            .put("offset", p.offset())
            .put("epoch", p.epoch())
            .toString());
  }

  private void failure(Response response, Throwable t) throws IOException {
    Throwable e = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
    if (e instanceof JoinRejectedException j) {
      error(response, j.httpStatus(), j.getMessage()); // AccessDeniedException: 403
    } else if (e instanceof BackplaneUnavailableException) {
      error(response, 503, "message not delivered: " + e.getMessage());
    } else if (e instanceof TimeoutException) {
      error(response, 503, "message not delivered: backplane timed out; delivery unknown");
    } else if (e instanceof IllegalArgumentException) {
      error(response, 400, e.getMessage());
    } else {
      LOG.log(Level.WARNING, "HTTP publish failed", e);
      error(response, 500, "message not delivered: server error");
    }
  }

  private static void tooLarge(Response response, int max) throws IOException {
    // the rest of the body is not read: do not reuse the connection
    response.setHeader("Connection", "close");
    error(response, 413, "message too large (max " + max + " bytes)");
  }

  private static void error(Response response, int status, String message) throws IOException {
    Responses.json(response, status, SseEvents.errorJson(message));
  }

  /** Reads until end of stream or {@code limit} bytes, whichever comes first. */
  static byte[] readAtMost(InputStream in, int limit) throws IOException {
    byte[] buf = new byte[Math.min(limit, 8192)];
    int n = 0;
    while (n < limit) {
      if (n == buf.length) {
        buf = Arrays.copyOf(buf, Math.min(limit, buf.length * 2));
      }
      int r = in.read(buf, n, buf.length - n);
      if (r < 0) {
        break;
      }
      n += r;
    }
    return n == buf.length ? buf : Arrays.copyOf(buf, n);
  }
}
