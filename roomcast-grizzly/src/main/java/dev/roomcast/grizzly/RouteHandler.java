package dev.roomcast.grizzly;

import java.util.Map;
import org.glassfish.grizzly.http.server.Request;
import org.glassfish.grizzly.http.server.Response;

/**
 * Answers one HTTP request that matched a route added with {@link
 * RoomcastServer.Builder#route(String, String, RouteHandler)}.
 *
 * <p>Called on a Grizzly worker thread, possibly for many requests at once: implementations must be
 * thread-safe and should not block on the peer; {@link HttpResponses} writes an answer without
 * blocking. An exception becomes a 500 without a stack trace in the body (it is logged).
 */
@FunctionalInterface
public interface RouteHandler {
  /**
   * @param pathParams the template's {@code {name}} segments, URL-decoded
   */
  void handle(Request request, Response response, Map<String, String> pathParams) throws Exception;
}
