package dev.roomcast.grizzly.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.roomcast.BackplaneUnavailableException;
import dev.roomcast.Hub;
import dev.roomcast.Identity;
import dev.roomcast.JoinRejectedException;
import dev.roomcast.Published;
import dev.roomcast.jakarta.sse.SseEvents;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
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
 * {"error": "..."}} with 400 (invalid JSON, not an object, bad room name, nested too deeply, body
 * shorter than its {@code Content-Length}), 401/403 ({@link Hub#authenticate} / {@link
 * Hub#publishAs}, a refused {@code Origin}), 408 (the body did not arrive within the body timeout),
 * 413 (body over {@code maxMessageBytes}, or content over {@code maxContentBytes}), 429 with {@code
 * Retry-After} (over the publish rate of the client address or the token's subject), 503 (backplane
 * unavailable, the server is draining, or its inbound budget is full).
 *
 * <p>No thread waits on the client: the body is read as it arrives ({@link RequestBodyReader}), up
 * to its {@code Content-Length} or the limit plus one byte, never further, and the response is
 * suspended while the body and then the backplane are awaited. A request refused before its body
 * was read ends its connection ({@link Responses}). Thread-safe.
 */
public final class HttpPublishHandler {
  private static final Logger LOG = Logger.getLogger(HttpPublishHandler.class.getName());

  /** A publish the backplane has not answered by then is reported as delivery unknown. */
  private static final Duration PUBLISH_TIMEOUT = Duration.ofSeconds(10);

  private final Hub hub;
  private final BooleanSupplier draining;
  private final Edge edge;
  private final PublishRateLimiter rate;
  private final ObjectMapper json;

  public HttpPublishHandler(Hub hub, BooleanSupplier draining, Edge edge) {
    this.hub = hub;
    this.draining = draining;
    this.edge = edge;
    this.rate =
        new PublishRateLimiter(edge.config.httpPublishRate(), edge.config.httpPublishBurst());
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

  public void handle(Request request, Response response, Map<String, String> params)
      throws IOException {
    String room = params.get("room");
    if (draining.getAsBoolean()) {
      error(response, 503, "server is draining; publish to another instance");
      return;
    }
    Identity who;
    try {
      who = hub.authenticate(HttpRequests.handshake(room, request));
    } catch (JoinRejectedException e) { // 401, or 403 for a refused origin
      error(response, e.httpStatus(), e.getMessage());
      return;
    } catch (IllegalArgumentException e) { // a malformed query string
      error(response, 400, e.getMessage());
      return;
    }
    long wait =
        rate.acquire(
            "address:" + HttpRequests.clientAddress(request),
            Identity.anonymous().equals(who) ? null : "subject:" + who.subject());
    if (wait > 0) {
      edge.counters.publishRateLimited.increment();
      response.setHeader(
          "Retry-After", Long.toString(Math.max(1, TimeUnit.NANOSECONDS.toSeconds(wait) + 1)));
      error(response, 429, "publish rate exceeded; retry later");
      return;
    }
    int max = hub.limits().maxMessageBytes();
    long declared = request.getContentLengthLong();
    if (declared > max) {
      tooLarge(response, max);
      return;
    }
    response.suspend();
    new RequestBodyReader(request, declared, max, edge, new Answer(response, who, room)).start();
  }

  /** What to do with the body once it has arrived, or how its read ended. */
  private final class Answer implements RequestBodyReader.Listener {
    private final Response response;
    private final Identity who;
    private final String room;

    Answer(Response response, Identity who, String room) {
      this.response = response;
      this.who = who;
      this.room = room;
    }

    @Override
    public void body(byte[] body) {
      respond(() -> publish(response, who, room, body));
    }

    @Override
    public void tooLarge() {
      respond(
          IoAction.of(() -> HttpPublishHandler.tooLarge(response, hub.limits().maxMessageBytes())));
    }

    @Override
    public void incomplete() {
      respond(IoAction.of(() -> error(response, 400, "incomplete request body")));
    }

    @Override
    public void timedOut() {
      respond(IoAction.of(() -> error(response, 408, "request body not received in time")));
    }

    @Override
    public void serverBusy() {
      respond(IoAction.of(() -> error(response, 503, "server busy; try again later")));
    }

    @Override
    public void gone(Throwable cause) {
      try {
        response.resume();
      } catch (RuntimeException alreadyCancelled) {
        // the connection went away and took the suspended response with it
      }
    }

    /** Writes an answer from the reader's thread; resumes unless the publish went asynchronous. */
    private void respond(IoAction action) {
      boolean resume = true;
      try {
        resume = action.run();
      } catch (IOException | RuntimeException e) {
        LOG.log(Level.FINE, "answering an HTTP publish failed", e);
      } finally {
        if (resume) {
          try {
            response.resume();
          } catch (RuntimeException alreadyCancelled) {
            // gone meanwhile
          }
        }
      }
    }
  }

  @FunctionalInterface
  private interface IoAction {
    /** Returns whether the response is complete (false when an asynchronous step resumes it). */
    boolean run() throws IOException;

    static IoAction of(IoRunnable r) {
      return () -> {
        r.run();
        return true;
      };
    }
  }

  @FunctionalInterface
  private interface IoRunnable {
    void run() throws IOException;
  }

  /**
   * Publishes a complete body.
   *
   * @return whether the response is done (false while the backplane is still working on it)
   */
  private boolean publish(Response response, Identity who, String room, byte[] body)
      throws IOException {
    String content;
    try {
      content = content(body);
    } catch (IllegalArgumentException e) {
      error(response, 400, e.getMessage());
      return true;
    }
    int maxContent = hub.limits().maxContentBytes();
    if (content.getBytes(StandardCharsets.UTF_8).length > maxContent) {
      error(response, 413, "content too large (max " + maxContent + " bytes)");
      return true;
    }
    CompletableFuture<Published> published;
    try {
      published = hub.publishAs(who, room, content, "server").toCompletableFuture();
    } catch (JoinRejectedException e) {
      error(response, e.httpStatus(), e.getMessage()); // the room name
      return true;
    }
    if (published.isDone()) {
      answer(response, published);
      return true;
    }
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
    return false;
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
    // the rest of the body is not read: Responses ends the connection after this answer
    error(response, 413, "message too large (max " + max + " bytes)");
  }

  private static void error(Response response, int status, String message) throws IOException {
    Responses.json(response, status, SseEvents.errorJson(message));
  }
}
