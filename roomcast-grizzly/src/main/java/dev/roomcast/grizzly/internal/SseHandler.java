package dev.roomcast.grizzly.internal;

import dev.roomcast.JoinRejectedException;
import dev.roomcast.jakarta.sse.NonBlockingSink;
import dev.roomcast.jakarta.sse.SseEndpoint;
import dev.roomcast.jakarta.sse.SseEvents;
import dev.roomcast.jakarta.sse.SseStream;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.glassfish.grizzly.CompletionHandler;
import org.glassfish.grizzly.WriteHandler;
import org.glassfish.grizzly.http.io.NIOOutputStream;
import org.glassfish.grizzly.http.server.Request;
import org.glassfish.grizzly.http.server.Response;

/**
 * {@code GET /events/{room}}: Server-Sent Events on Grizzly, the same port as the WebSocket
 * endpoint. The protocol logic (authentication, {@code Last-Event-ID}, framing, heartbeats) is
 * {@link SseEndpoint}'s; this class only adapts Grizzly's suspended response and non-blocking
 * output to it.
 *
 * <p>A refused subscription is answered before anything is streamed: 400 (room or position), 401,
 * 403, 503 (full), with {@code {"error": "..."}}; while the server drains or stops, 200 with only
 * the {@code retry:} hint (see {@link SseEndpoint#reconnectLater}). Otherwise the response is
 * suspended (no timeout, no worker thread held) and written with {@code NIOOutputStream.canWrite()}
 * / {@code notifyCanWrite}, so a client that does not read holds at most Grizzly's bounded write
 * queue plus its outbox before it is cut loose. Thread-safe.
 */
public final class SseHandler {
  private static final Logger LOG = Logger.getLogger(SseHandler.class.getName());

  private final SseEndpoint sse;

  public SseHandler(SseEndpoint sse) {
    this.sse = sse;
  }

  public void handle(Request request, Response response, Map<String, String> params)
      throws IOException {
    if (request.getMethod().getMethodString().equals("HEAD")) {
      headers(response);
      response.setContentLength(0);
      return;
    }
    SseStream stream;
    try {
      stream = sse.open(HttpRequests.handshake(params.get("room"), request));
    } catch (IllegalArgumentException e) { // a malformed query string
      Responses.json(response, 400, SseEvents.errorJson(e.getMessage()));
      return;
    } catch (JoinRejectedException e) {
      if (sse.reconnectLater(e)) {
        headers(response);
        Responses.send(
            response, 200, SseEndpoint.RESPONSE_HEADERS.get("Content-Type"), sse.retryOnlyBody());
      } else {
        Responses.json(response, e.httpStatus(), SseEvents.errorJson(e.getMessage()));
      }
      return;
    }
    GrizzlySink sink = new GrizzlySink(request, response, stream);
    try {
      headers(response);
      response.suspend(-1, TimeUnit.MILLISECONDS, sink);
    } catch (RuntimeException e) {
      stream.transportClosed();
      throw e;
    }
    stream.start(sink);
  }

  private static void headers(Response response) {
    response.setStatus(200);
    SseEndpoint.RESPONSE_HEADERS.forEach(
        (name, value) -> {
          if (name.equalsIgnoreCase("Content-Type")) {
            response.setContentType(value);
          } else {
            response.setHeader(name, value);
          }
        });
  }

  /**
   * The stream's sink on a suspended Grizzly response. Graceful end: {@code resume()} (the chunked
   * response ends, the connection stays for keep-alive); otherwise the connection is closed.
   */
  static final class GrizzlySink extends NonBlockingSink
      implements WriteHandler, CompletionHandler<Response> {
    private final Response response;
    private final NIOOutputStream out;
    private final org.glassfish.grizzly.Connection<?> connection;
    private final SseStream stream;
    private boolean awaitingWritable; // guarded by this

    GrizzlySink(Request request, Response response, SseStream stream) {
      this.response = response;
      this.out = response.getNIOOutputStream();
      this.connection = request.getContext().getConnection();
      this.stream = stream;
    }

    @Override
    protected boolean ready() {
      if (out.canWrite()) {
        return true; // also makes the next write and flush non-blocking
      }
      synchronized (this) {
        if (awaitingWritable) {
          return false; // Grizzly allows one registered handler at a time
        }
        awaitingWritable = true;
      }
      out.notifyCanWrite(this); // may call onWritePossible at once
      return false;
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
      if (graceful) {
        try {
          response.resume();
          return;
        } catch (RuntimeException e) {
          LOG.log(Level.FINE, "resuming an SSE response failed; closing the connection", e);
        }
      }
      connection.closeSilently();
    }

    // ---- WriteHandler: Grizzly's write queue drained below its limit, or the connection failed

    @Override
    public void onWritePossible() {
      synchronized (this) {
        awaitingWritable = false;
      }
      writePossible();
    }

    @Override
    public void onError(Throwable t) {
      synchronized (this) {
        awaitingWritable = false;
      }
      gone(t);
    }

    // ---- CompletionHandler of the suspended response

    @Override
    public void cancelled() {
      gone(null); // the connection closed: Grizzly recycles the response right after this
    }

    @Override
    public void failed(Throwable throwable) {
      gone(throwable);
    }

    @Override
    public void completed(Response result) {
      // our own resume(): the stream has already ended
    }

    @Override
    public void updated(Response result) {
      // not used
    }

    private void gone(Throwable cause) {
      containerClosed(cause);
      stream.transportClosed();
    }
  }
}
