package dev.roomcast.spring.boot.autoconfigure.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.roomcast.AuthenticationException;
import dev.roomcast.BackplaneUnavailableException;
import dev.roomcast.HandshakeRequest;
import dev.roomcast.Hub;
import dev.roomcast.Identity;
import dev.roomcast.JoinRejectedException;
import dev.roomcast.Published;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * {@code POST <mapping>/{room}/messages} with {@code {"content": <any JSON>}}: publishes into the
 * room as client id {@code "server"}, as {@code docs/protocol.md} ("Publishing over HTTP")
 * describes: {@code 200 {"room","offset","epoch"}} once the backplane stored it, or {@code
 * {"error": "..."}} with 400 (invalid JSON, not an object, nested too deeply, bad room name,
 * incomplete body), 401/403 (the hub's authenticator and authorizer, e.g. Spring Security's
 * principal), 404 (another path), 405 (another method), 413 (body over {@code maxMessageBytes},
 * content over {@code maxContentBytes}), 503 (backplane unavailable, or draining).
 *
 * <p>The body is read up to its {@code Content-Length}, or without one up to the limit plus one
 * byte, never further. While the backplane works on the publish, the request is asynchronous and
 * holds no container thread. Thread-safe; one instance serves every request.
 */
public final class HttpPublishServlet extends HttpServlet {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = Logger.getLogger(HttpPublishServlet.class.getName());

  /** A publish the backplane has not answered by then is reported as delivery unknown. */
  private static final Duration PUBLISH_TIMEOUT = Duration.ofSeconds(10);

  private final transient Hub hub;
  private final transient ObjectMapper json;

  public HttpPublishServlet(Hub hub) {
    this.hub = hub;
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

  @Override
  protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    String room = roomOf(req.getPathInfo());
    if (room == null) {
      error(resp, 404, "not found: use POST " + req.getServletPath() + "/{room}/messages");
      return;
    }
    if (!"POST".equals(req.getMethod())) {
      resp.setHeader("Allow", "POST");
      error(resp, 405, "method not allowed: use POST");
      return;
    }
    if (!hub.isReady() && hub.isBackplaneUp()) {
      error(resp, 503, "server is draining; publish to another instance");
      return;
    }
    Identity who;
    try {
      who =
          hub.authenticate(
              HandshakeRequest.of(room, headers(req), query(req), req.getRemoteAddr()));
    } catch (JoinRejectedException e) {
      error(resp, e instanceof AuthenticationException ? 401 : e.httpStatus(), e.getMessage());
      return;
    }
    int max = hub.limits().maxMessageBytes();
    long declared = req.getContentLengthLong();
    if (declared > max) {
      tooLarge(resp, max);
      return;
    }
    byte[] body = readAtMost(req.getInputStream(), declared >= 0 ? (int) declared : max + 1);
    if (body.length > max) {
      tooLarge(resp, max);
      return;
    }
    if (declared >= 0 && body.length < declared) {
      error(resp, 400, "incomplete request body");
      return;
    }
    String content;
    try {
      content = content(body);
    } catch (IllegalArgumentException e) {
      error(resp, 400, e.getMessage());
      return;
    }
    int maxContent = hub.limits().maxContentBytes();
    if (content.getBytes(StandardCharsets.UTF_8).length > maxContent) {
      error(resp, 413, "content too large (max " + maxContent + " bytes)");
      return;
    }
    CompletableFuture<Published> published;
    try {
      published = hub.publishAs(who, room, content, "server").toCompletableFuture();
    } catch (JoinRejectedException e) {
      error(resp, e.httpStatus(), e.getMessage()); // the room name
      return;
    }
    if (published.isDone()) {
      answer(resp, published);
      return;
    }
    AsyncContext async = req.startAsync();
    async.setTimeout(0); // the publish timeout below bounds it
    published
        .orTimeout(PUBLISH_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
        // not on the backplane's thread: writing the answer is I/O
        .whenCompleteAsync(
            (p, e) -> {
              try {
                answer((HttpServletResponse) async.getResponse(), published);
              } catch (IOException | RuntimeException ex) {
                LOG.log(Level.FINE, "answering an HTTP publish failed", ex);
              } finally {
                async.complete();
              }
            });
  }

  /** {@code /lobby/messages} → {@code lobby}; anything else → {@code null}. */
  static String roomOf(String pathInfo) {
    if (pathInfo == null || !pathInfo.startsWith("/") || !pathInfo.endsWith("/messages")) {
      return null;
    }
    String room = pathInfo.substring(1, pathInfo.length() - "/messages".length());
    return room.isEmpty() || room.contains("/") ? null : room;
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

  private void answer(HttpServletResponse resp, CompletableFuture<Published> published)
      throws IOException {
    Published p;
    try {
      p = published.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      error(resp, 503, "message not delivered: interrupted");
      return;
    } catch (ExecutionException e) {
      failure(resp, e.getCause());
      return;
    }
    write(
        resp,
        200,
        json.createObjectNode()
            .put("room", p.room())
            .put("offset", p.offset())
            .put("epoch", p.epoch())
            .toString());
  }

  private void failure(HttpServletResponse resp, Throwable t) throws IOException {
    Throwable e = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
    if (e instanceof JoinRejectedException j) {
      error(resp, j.httpStatus(), j.getMessage()); // AccessDeniedException: 403
    } else if (e instanceof BackplaneUnavailableException) {
      error(resp, 503, "message not delivered: " + e.getMessage());
    } else if (e instanceof TimeoutException) {
      error(resp, 503, "message not delivered: backplane timed out; delivery unknown");
    } else if (e instanceof IllegalArgumentException) {
      error(resp, 400, e.getMessage());
    } else {
      LOG.log(Level.WARNING, "HTTP publish failed", e);
      error(resp, 500, "message not delivered: server error");
    }
  }

  private static void tooLarge(HttpServletResponse resp, int max) throws IOException {
    // the rest of the body is not read: do not reuse the connection
    resp.setHeader("Connection", "close");
    error(resp, 413, "message too large (max " + max + " bytes)");
  }

  private static void error(HttpServletResponse resp, int status, String message)
      throws IOException {
    write(resp, status, dev.roomcast.jakarta.sse.SseEvents.errorJson(message));
  }

  private static void write(HttpServletResponse resp, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    resp.setStatus(status);
    resp.setContentType("application/json");
    resp.setHeader("Cache-Control", "no-store");
    resp.setContentLength(bytes.length);
    resp.getOutputStream().write(bytes);
  }

  private static Map<String, List<String>> headers(HttpServletRequest req) {
    Map<String, List<String>> headers = new LinkedHashMap<>();
    for (String name : Collections.list(req.getHeaderNames())) {
      headers.put(name, Collections.list(req.getHeaders(name)));
    }
    return headers;
  }

  /** The query string's parameters only: the body is JSON, never form parameters. */
  private static Map<String, List<String>> query(HttpServletRequest req) {
    Map<String, List<String>> query = new LinkedHashMap<>();
    String qs = req.getQueryString();
    if (qs == null || qs.isEmpty()) {
      return query;
    }
    for (String pair : qs.split("&")) {
      int eq = pair.indexOf('=');
      String k = decode(eq < 0 ? pair : pair.substring(0, eq));
      String v = eq < 0 ? "" : decode(pair.substring(eq + 1));
      query.computeIfAbsent(k, x -> new ArrayList<>()).add(v);
    }
    return query;
  }

  private static String decode(String s) {
    try {
      return java.net.URLDecoder.decode(s, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return s;
    }
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
