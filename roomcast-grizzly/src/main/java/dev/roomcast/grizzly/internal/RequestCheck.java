package dev.roomcast.grizzly.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.glassfish.grizzly.Connection;
import org.glassfish.grizzly.Grizzly;
import org.glassfish.grizzly.asyncqueue.AsyncQueueWriter;
import org.glassfish.grizzly.asyncqueue.MessageCloner;
import org.glassfish.grizzly.attributes.Attribute;
import org.glassfish.grizzly.filterchain.BaseFilter;
import org.glassfish.grizzly.filterchain.FilterChainContext;
import org.glassfish.grizzly.filterchain.NextAction;
import org.glassfish.grizzly.http.HttpContent;
import org.glassfish.grizzly.http.HttpHeader;
import org.glassfish.grizzly.http.HttpRequestPacket;
import org.glassfish.grizzly.http.Method;
import org.glassfish.grizzly.http.Protocol;
import org.glassfish.grizzly.memory.Buffers;
import org.glassfish.grizzly.nio.NIOTransport;

/**
 * Checks each request head as the HTTP codec delivers it, before the WebSocket handshake and the
 * handlers see it, and ends connections whose responses say so. Sits after Grizzly's codec.
 *
 * <ul>
 *   <li>The first request of a connection ends its pending state ({@link ConnectionGate}) and names
 *       its client address ({@link ClientAddress}); a client address holding {@code
 *       ROOMCAST_MAX_CONNECTIONS_PER_ADDRESS} connections already gets {@code 429}.
 *   <li>Message framing that RFC 9112 says to refuse, and to close after: a request with both
 *       {@code Content-Length} and {@code Transfer-Encoding} (the request smuggling shape), a
 *       {@code Transfer-Encoding} other than {@code chunked} (501), or one on an HTTP/1.0 request.
 *   <li>WebSocket upgrades that are not {@code GET} over HTTP/1.1 (RFC 6455 §4.1) get 400 instead
 *       of an upgrade.
 *   <li>A handler's response that leaves the request body unread ({@link
 *       EdgeConnection#closeAfterResponse}) ends with a {@link LingeringClose} once written.
 * </ul>
 *
 * <p>Stateless and shared by all connections.
 */
final class RequestCheck extends BaseFilter {
  /** Set on a request packet once its head has been checked: later chunks of its body pass. */
  private static final Attribute<Boolean> CHECKED =
      Grizzly.DEFAULT_ATTRIBUTE_BUILDER.createAttribute(RequestCheck.class.getName() + ".checked");

  private final Edge edge;

  RequestCheck(Edge edge) {
    this.edge = edge;
  }

  @Override
  public NextAction handleRead(FilterChainContext ctx) throws IOException {
    if (!(ctx.getMessage() instanceof HttpContent content)) {
      return ctx.getInvokeAction();
    }
    HttpHeader header = content.getHttpHeader();
    if (!header.isRequest()) {
      return ctx.getInvokeAction();
    }
    HttpRequestPacket request = (HttpRequestPacket) header;
    EdgeConnection state = EdgeConnection.of(ctx.getConnection());
    if (state == null) {
      return ctx.getInvokeAction(); // not through the gate (a listener without it)
    }
    if (state.lingering) {
      content.recycle();
      return ctx.getStopAction();
    }
    if (CHECKED.isSet(request)) {
      return ctx.getInvokeAction();
    }
    CHECKED.set(request, Boolean.TRUE);
    if (state.leavePending()) {
      edge.pending.release(state.socketAddress);
    }
    if (state.clientAddress() == null) {
      String address =
          ClientAddress.of(
              state.socketAddress,
              values(request, "X-Forwarded-For"),
              edge.config.trustedProxyHops());
      if (edge.clients.acquire(address) != AddressCounts.Result.OK) {
        edge.counters.addressLimited.increment();
        return EdgeRefusal.refuse(
            ctx, request, 429, "too many connections from this address", 5, edge);
      }
      if (!state.identify(address)) {
        edge.clients.release(address); // closed meanwhile
      }
    }
    String problem = framingProblem(request);
    if (problem != null) {
      edge.counters.requestsRefused.increment();
      int status = problem.startsWith("unsupported") ? 501 : 400;
      return EdgeRefusal.refuse(ctx, request, status, problem, 0, edge);
    }
    if (header.isUpgrade()
        && "websocket".equalsIgnoreCase(header.getUpgrade())
        && (request.getMethod() != Method.GET || request.getProtocol() != Protocol.HTTP_1_1)) {
      edge.counters.requestsRefused.increment();
      return EdgeRefusal.refuse(
          ctx, request, 400, "a WebSocket handshake is a GET over HTTP/1.1", 0, edge);
    }
    return ctx.getInvokeAction();
  }

  /** Why the request's body framing must be refused, or {@code null}. */
  static String framingProblem(HttpRequestPacket request) {
    List<String> te = values(request, "Transfer-Encoding");
    if (te.isEmpty()) {
      return null;
    }
    // Grizzly lets chunked win and drops a Content-Length it saw first: StrictHttpCodec noted it
    if (StrictHttpCodec.AMBIGUOUS_LENGTH.isSet(request)
        || request.getHeaders().getHeader("Content-Length") != null) {
      return "bad request: both Content-Length and Transfer-Encoding";
    }
    if (request.getProtocol() != Protocol.HTTP_1_1) {
      return "bad request: Transfer-Encoding needs HTTP/1.1";
    }
    if (te.size() != 1 || !te.get(0).trim().toLowerCase(Locale.ROOT).equals("chunked")) {
      return "unsupported Transfer-Encoding: only chunked";
    }
    return null;
  }

  private static List<String> values(HttpRequestPacket request, String name) {
    List<String> out = new ArrayList<>(1);
    for (String v : request.getHeaders().values(name)) {
      for (String part : v.split(",")) {
        if (!part.isBlank()) {
          out.add(part.trim());
        }
      }
    }
    return out;
  }

  @Override
  public NextAction handleWrite(FilterChainContext ctx) throws IOException {
    if (ctx.getMessage() instanceof HttpContent content
        && content.isLast()
        && !content.getHttpHeader().isRequest()) {
      EdgeConnection state = EdgeConnection.of(ctx.getConnection());
      if (state != null && state.closeAfterResponse) {
        Connection<?> connection = ctx.getConnection();
        // Once this write has been handed to the write queue, so what follows it there comes
        // after the response's last bytes.
        ctx.addCompletionListener(done -> lingerAfterQueuedBytes(connection));
      }
    }
    return ctx.getInvokeAction();
  }

  /**
   * Queues an empty write behind the response: Grizzly's write queue is first in, first out, so its
   * completion means the response is out. (The response's own last write may be empty and never
   * reach the queue, so its completion cannot be relied on.)
   */
  @SuppressWarnings({"unchecked", "rawtypes"})
  private void lingerAfterQueuedBytes(Connection connection) {
    AsyncQueueWriter writer =
        ((NIOTransport) connection.getTransport()).getAsyncQueueIO().getWriter();
    writer.write(
        connection,
        null,
        Buffers.EMPTY_BUFFER,
        LingeringClose.afterWrite(connection, edge),
        (MessageCloner) null);
  }
}
