package dev.roomcast.jakarta.servlet;

import dev.roomcast.HandshakeRequest;
import dev.roomcast.JoinRejectedException;
import dev.roomcast.jakarta.sse.NonBlockingSink;
import dev.roomcast.jakarta.sse.SseEndpoint;
import dev.roomcast.jakarta.sse.SseEvents;
import dev.roomcast.jakarta.sse.SseStream;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.ServletRegistration;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Server-Sent Events for Servlet 6 containers (Tomcat 10.1+, Jetty 12 ee10, ...): {@code GET
 * <mapping>/{room}} streams the room as described in {@code docs/protocol.md}, with {@code
 * Last-Event-ID} or {@code ?since=&epoch=} resume, heartbeats, and refusals answered {@code
 * 400/401/403/503} with a JSON body before anything is streamed (while draining: 200 with only the
 * {@code retry:} hint, see {@link SseEndpoint#reconnectLater}).
 *
 * <pre>{@code
 * SseEndpoint sse = SseEndpoint.create(hub, SseConfig.defaults());
 * RoomcastSseServlet.register(servletContext, sse, "/events/*");   // GET /events/lobby
 * // on shutdown: hub.drain(...); hub.close(); sse.close();
 * }</pre>
 *
 * <p>Uses asynchronous processing ({@link AsyncContext}, no timeout) and non-blocking output
 * ({@link WriteListener}), so an open stream holds no container thread, and a client that stops
 * reading is cut loose as a slow consumer instead of blocking anything. The room is the path info
 * (decoded by the container); a bare mapping path means room {@code default}. Thread-safe; one
 * instance serves every request.
 */
public class RoomcastSseServlet extends HttpServlet {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = Logger.getLogger(RoomcastSseServlet.class.getName());

  private final transient SseEndpoint sse;

  /** A servlet streaming from {@code sse}'s hub. Register it with async support. */
  public RoomcastSseServlet(SseEndpoint sse) {
    this.sse = Objects.requireNonNull(sse, "sse");
  }

  /**
   * Adds the servlet to {@code context} under {@code urlPattern} (e.g. {@code "/events/*"}) with
   * asynchronous processing enabled. Call from a {@code ServletContextListener} or {@code
   * ServletContainerInitializer}.
   */
  public static ServletRegistration.Dynamic register(
      ServletContext context, SseEndpoint sse, String urlPattern) {
    ServletRegistration.Dynamic r =
        context.addServlet("roomcast-sse-" + urlPattern, new RoomcastSseServlet(sse));
    r.setAsyncSupported(true);
    r.addMapping(urlPattern);
    return r;
  }

  @Override
  protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    String room = roomOf(req.getPathInfo());
    SseStream stream;
    try {
      stream =
          sse.open(
              HandshakeRequest.of(room, headers(req), query(req), req.getRemoteAddr())
                  .withPrincipal(req.getUserPrincipal()));
    } catch (JoinRejectedException e) {
      if (sse.reconnectLater(e)) {
        // draining: a stream that only says "come back", which EventSource follows
        byte[] body = sse.retryOnlyBody();
        resp.setStatus(HttpServletResponse.SC_OK);
        SseEndpoint.RESPONSE_HEADERS.forEach(resp::setHeader);
        resp.setContentLength(body.length);
        resp.getOutputStream().write(body);
      } else {
        sendError(resp, e.httpStatus(), e.getMessage());
      }
      return;
    }
    AsyncContext async;
    ServletOutputStream out;
    try {
      resp.setStatus(HttpServletResponse.SC_OK);
      SseEndpoint.RESPONSE_HEADERS.forEach(resp::setHeader);
      async = req.startAsync();
      async.setTimeout(0); // a stream lasts until either side ends it
      out = resp.getOutputStream();
    } catch (IOException | RuntimeException e) {
      stream.transportClosed();
      throw e;
    }
    ServletSink sink = new ServletSink(async, out, stream);
    async.addListener(sink);
    // Non-blocking mode first: isReady() is only defined once a write listener is set.
    out.setWriteListener(sink);
    stream.start(sink);
  }

  /** {@code /lobby} → {@code lobby}; {@code null} or {@code /} → the default room. */
  static String roomOf(String pathInfo) {
    if (pathInfo == null || pathInfo.equals("/")) {
      return "";
    }
    return pathInfo.startsWith("/") ? pathInfo.substring(1) : pathInfo;
  }

  static Map<String, List<String>> headers(HttpServletRequest req) {
    Map<String, List<String>> headers = new LinkedHashMap<>();
    for (String name : Collections.list(req.getHeaderNames())) {
      headers.put(name, Collections.list(req.getHeaders(name)));
    }
    return headers;
  }

  static Map<String, List<String>> query(HttpServletRequest req) {
    Map<String, List<String>> query = new LinkedHashMap<>();
    // GET: the parameters are the query string's; a servlet container decodes them
    req.getParameterMap().forEach((k, v) -> query.put(k, new ArrayList<>(List.of(v))));
    return query;
  }

  static void sendError(HttpServletResponse resp, int status, String message) throws IOException {
    byte[] body = SseEvents.errorJson(message).getBytes(StandardCharsets.UTF_8);
    resp.setStatus(status);
    resp.setContentType("application/json");
    resp.setHeader("Cache-Control", "no-store");
    resp.setContentLength(body.length);
    resp.getOutputStream().write(body);
  }

  /**
   * The stream's sink on a {@link ServletOutputStream} in non-blocking mode: {@code isReady()}
   * gates every write and flush, {@code onWritePossible} resumes, and the async context's end
   * (completion, error, timeout) tells the stream the client is gone.
   */
  static final class ServletSink extends NonBlockingSink implements WriteListener, AsyncListener {
    private final AsyncContext async;
    private final ServletOutputStream out;
    private final SseStream stream;

    ServletSink(AsyncContext async, ServletOutputStream out, SseStream stream) {
      this.async = async;
      this.out = out;
      this.stream = stream;
    }

    @Override
    protected boolean ready() {
      // false: the container calls onWritePossible when it can take more
      return out.isReady();
    }

    @Override
    protected void writeBytes(byte[] bytes) throws IOException {
      out.write(bytes);
    }

    @Override
    protected void flushBytes() throws IOException {
      out.flush();
    }

    @Override
    protected void end(boolean graceful) {
      // Servlet containers have no "abort": complete() ends the response, and a container whose
      // output is stuck closes the connection when it cannot finish it.
      try {
        async.complete();
      } catch (IllegalStateException e) {
        LOG.log(Level.FINE, "async context already completed", e);
      }
    }

    @Override
    public void onWritePossible() {
      writePossible();
    }

    @Override
    public void onError(Throwable t) {
      gone(t);
    }

    @Override
    public void onComplete(AsyncEvent event) {
      gone(null);
    }

    @Override
    public void onTimeout(AsyncEvent event) {
      gone(event.getThrowable());
      try {
        async.complete();
      } catch (IllegalStateException e) {
        // already completing
      }
    }

    @Override
    public void onError(AsyncEvent event) {
      gone(event.getThrowable());
    }

    @Override
    public void onStartAsync(AsyncEvent event) {
      // not re-dispatched
    }

    private void gone(Throwable cause) {
      containerClosed(cause);
      stream.transportClosed();
    }
  }
}
