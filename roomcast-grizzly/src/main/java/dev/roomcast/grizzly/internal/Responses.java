package dev.roomcast.grizzly.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import org.glassfish.grizzly.Connection;
import org.glassfish.grizzly.http.io.NIOOutputStream;
import org.glassfish.grizzly.http.server.Response;

/**
 * Writing small HTTP responses (text, JSON, bytes); {@link dev.roomcast.grizzly.HttpResponses} is
 * its public face.
 *
 * <p>Never blocks on the peer: a connection whose peer has not read its earlier responses (so
 * Grizzly's write queue for it is full, e.g. a client pipelining requests it never reads) is closed
 * instead of answered, where a blocking write would hold a worker thread. A response that leaves
 * the request's body unread ends the connection once written ({@link LingeringClose}), so the
 * unread bytes are never parsed as a next request nor read to their end.
 */
public final class Responses {
  private Responses() {}

  public static void text(Response response, int status, String body) throws IOException {
    send(response, status, "text/plain; charset=utf-8", body.getBytes(StandardCharsets.UTF_8));
  }

  public static void json(Response response, int status, String json) throws IOException {
    send(response, status, "application/json", json.getBytes(StandardCharsets.UTF_8));
  }

  public static void send(Response response, int status, String contentType, byte[] body)
      throws IOException {
    Connection<?> connection = response.getRequest().getContext().getConnection();
    EdgeConnection edge = EdgeConnection.of(connection);
    NIOOutputStream nio = response.getNIOOutputStream();
    if (!nio.canWrite()) { // also makes the writes below non-blocking when it says yes
      if (edge != null) {
        edge.edge.counters.unreadResponses.increment();
      }
      connection.terminateSilently();
      return;
    }
    if (!response.getRequest().getNIOInputStream().isFinished()) {
      response.setHeader("Connection", "close");
      if (edge != null) {
        edge.closeAfterResponse = true;
      }
    }
    if (status == 429) {
      response.setStatus(429, "Too Many Requests"); // Grizzly has no phrase for it
    } else {
      response.setStatus(status);
    }
    // One buffer for the whole body, so it goes out in one write: canWrite() above vouches for
    // one write only, and a second flush could block the thread on a peer that does not read.
    response.setBufferSize(body.length + 1024);
    response.setContentType(contentType);
    response.setHeader("Cache-Control", "no-store");
    response.setHeader("X-Content-Type-Options", "nosniff");
    response.setContentLength(body.length);
    OutputStream out = response.getOutputStream();
    out.write(body);
    out.flush();
  }
}
