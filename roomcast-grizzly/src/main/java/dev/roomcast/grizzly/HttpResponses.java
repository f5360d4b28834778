package dev.roomcast.grizzly;

import dev.roomcast.grizzly.internal.Responses;
import java.io.IOException;
import org.glassfish.grizzly.http.server.Response;

/**
 * Writes a small, whole HTTP response from a {@link RouteHandler} the way roomcast's own endpoints
 * do: one write, {@code Cache-Control: no-store}, {@code X-Content-Type-Options: nosniff}.
 *
 * <p>Never blocks on the peer: a connection whose peer has not read its earlier responses is closed
 * instead of answered (a blocking write would hold a worker thread), and a response that leaves the
 * request body unread ends the connection once written. Thread-safe (stateless).
 */
public final class HttpResponses {
  private HttpResponses() {}

  /** A {@code text/plain; charset=utf-8} response. */
  public static void text(Response response, int status, String body) throws IOException {
    Responses.text(response, status, body);
  }

  /** An {@code application/json} response; {@code json} must already be JSON. */
  public static void json(Response response, int status, String json) throws IOException {
    Responses.json(response, status, json);
  }

  /** A response of {@code contentType} with {@code body} as it is. */
  public static void send(Response response, int status, String contentType, byte[] body)
      throws IOException {
    Responses.send(response, status, contentType, body);
  }
}
