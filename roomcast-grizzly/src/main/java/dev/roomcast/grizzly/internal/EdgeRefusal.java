package dev.roomcast.grizzly.internal;

import java.nio.charset.StandardCharsets;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.glassfish.grizzly.Connection;
import org.glassfish.grizzly.filterchain.FilterChainContext;
import org.glassfish.grizzly.filterchain.NextAction;
import org.glassfish.grizzly.http.HttpContent;
import org.glassfish.grizzly.http.HttpRequestPacket;
import org.glassfish.grizzly.http.HttpResponsePacket;
import org.glassfish.grizzly.http.util.Header;
import org.glassfish.grizzly.memory.Buffers;

/**
 * Answers a request from a filter, before any handler, and ends the connection: a status, a short
 * plain-text reason, {@code Connection: close}, then a {@link LingeringClose}. What the client sent
 * after the refused request head is never parsed: a smuggled second request behind a {@code
 * Content-Length} and {@code Transfer-Encoding} pair goes unanswered.
 *
 * <p>Every refusal is one log line at FINE (strangers can send many; none carries a stack trace).
 * Stateless and thread-safe.
 */
final class EdgeRefusal {
  private static final Logger LOG = Logger.getLogger(EdgeRefusal.class.getName());

  private EdgeRefusal() {}

  /**
   * Writes the refusal and stops the filter chain for this message.
   *
   * @param reason the body, a fixed text for the client; {@code null} for none
   * @param retryAfterSeconds a {@code Retry-After} value, or 0 for none
   */
  static NextAction refuse(
      FilterChainContext ctx,
      HttpRequestPacket request,
      int status,
      String reason,
      int retryAfterSeconds,
      Edge edge) {
    Connection<?> connection = ctx.getConnection();
    EdgeConnection state = EdgeConnection.of(connection);
    if (state != null) {
      state.lingering = true; // nothing more is read from it
    }
    LOG.log(
        Level.FINE,
        () ->
            "refused "
                + request.getMethod().getMethodString()
                + " "
                + request.getRequestURI()
                + " from "
                + (state != null ? state.socketAddress : "?")
                + ": "
                + status
                + (reason == null ? "" : " " + reason));
    HttpResponsePacket response = request.getResponse();
    if (status == 429) {
      response.setStatus(429);
      response.setReasonPhrase("Too Many Requests"); // Grizzly has no phrase for it
    } else {
      response.setStatus(status);
    }
    if (retryAfterSeconds > 0) {
      response.setHeader("Retry-After", Integer.toString(retryAfterSeconds));
    }
    response.getHeaders().setValue(Header.Connection).setString("close");
    HttpContent.Builder<?> content = HttpContent.builder(response).last(true);
    if (reason == null) {
      response.setContentLength(0);
    } else {
      byte[] body = (reason + "\n").getBytes(StandardCharsets.UTF_8);
      response.setContentType("text/plain; charset=utf-8");
      response.setContentLength(body.length);
      content.content(Buffers.wrap(connection.getMemoryManager(), body));
    }
    ctx.write(content.build(), LingeringClose.afterWrite(connection, edge));
    return ctx.getStopAction();
  }
}
