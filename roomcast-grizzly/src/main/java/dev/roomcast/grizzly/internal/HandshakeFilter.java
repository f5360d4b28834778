package dev.roomcast.grizzly.internal;

import java.io.IOException;
import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.glassfish.grizzly.Buffer;
import org.glassfish.grizzly.Connection;
import org.glassfish.grizzly.Grizzly;
import org.glassfish.grizzly.attributes.Attribute;
import org.glassfish.grizzly.filterchain.BaseFilter;
import org.glassfish.grizzly.filterchain.FilterChainContext;
import org.glassfish.grizzly.filterchain.NextAction;
import org.glassfish.grizzly.http.HttpContent;
import org.glassfish.grizzly.http.HttpHeader;
import org.glassfish.grizzly.http.HttpRequestPacket;
import org.glassfish.grizzly.http.HttpResponsePacket;
import org.glassfish.grizzly.http.HttpServerFilter;
import org.glassfish.grizzly.http.Protocol;
import org.glassfish.grizzly.http.util.Header;
import org.glassfish.grizzly.http.util.Parameters;
import org.glassfish.grizzly.utils.Charsets;
import org.glassfish.grizzly.utils.IdleTimeoutFilter;
import org.glassfish.tyrus.core.RequestContext;
import org.glassfish.tyrus.core.TyrusUpgradeResponse;
import org.glassfish.tyrus.core.Utils;
import org.glassfish.tyrus.spi.UpgradeResponse;
import org.glassfish.tyrus.spi.WebSocketEngine;

/**
 * Answers the {@code Upgrade} requests on the shared port: WebSocket handshakes go to Tyrus'
 * engine; everything else goes on to the HTTP handler. Sits after Grizzly's HTTP codec.
 *
 * <ol>
 *   <li>WebSocket upgrade requests Tyrus would mishandle ({@link UpgradeRequestCheck}: a malformed
 *       URI, a bad {@code Sec-WebSocket-Key}) are answered 400 ({@link EdgeRefusal}: then closed).
 *   <li>A handshake Tyrus accepts is answered 101; the connection is then exempt from the HTTP
 *       keep-alive idle timeout (liveness of WebSockets is the endpoint's ping/pong), handed to
 *       {@link UpgradedConnectionFilter}, and its HTTP request state is dropped.
 *   <li>A handshake Tyrus refuses (no such endpoint version, a {@code HandshakeException} from the
 *       configurator: 400/401/403) is answered with Tyrus' status and no body, then closed.
 *       Upgrades that are not a GET over HTTP/1.1 never get here: {@link RequestCheck} refuses
 *       them.
 *   <li>Other upgrades (HTTP/2 cleartext, {@code Upgrade: h2c}, sent by the JDK's HttpClient and
 *       {@code curl --http2}) are ignored, as RFC 9110 allows, and answered as plain HTTP/1.1. Left
 *       alone, Grizzly treats such a request as an upgrade and drops the response's {@code
 *       Content-Type}.
 * </ol>
 *
 * <p>This takes the place of Tyrus' own Grizzly filter, which keeps every connection's parsed HTTP
 * request for its whole life and runs every frame through the HTTP codec.
 *
 * <p>Stateless apart from two per-connection attributes; shared by all connections.
 */
final class HandshakeFilter extends BaseFilter {
  /** Set once a connection's upgrade request was handled: what follows is not a new request. */
  private static final Attribute<Boolean> SEEN =
      Grizzly.DEFAULT_ATTRIBUTE_BUILDER.createAttribute(HandshakeFilter.class.getName() + ".seen");

  private final WebSocketEngine engine;
  private final UpgradedConnectionFilter upgraded;
  private final Edge edge;

  HandshakeFilter(WebSocketEngine engine, UpgradedConnectionFilter upgraded, Edge edge) {
    this.engine = engine;
    this.upgraded = upgraded;
    this.edge = edge;
  }

  @Override
  public NextAction handleRead(FilterChainContext ctx) throws IOException {
    if (!(ctx.getMessage() instanceof HttpContent content)) {
      return ctx.getInvokeAction();
    }
    HttpHeader header = content.getHttpHeader();
    if (!header.isRequest() || !header.isUpgrade() || SEEN.isSet(ctx.getConnection())) {
      return ctx.getInvokeAction();
    }
    HttpRequestPacket request = (HttpRequestPacket) header;
    if (!"websocket".equalsIgnoreCase(header.getUpgrade())) {
      return ignoreUpgrade(ctx, request);
    }
    SEEN.set(ctx.getConnection(), Boolean.TRUE);
    String problem =
        UpgradeRequestCheck.problem(
            request.getRequestURI(),
            request.getQueryString(),
            request.getHeader("Sec-WebSocket-Key"));
    if (problem != null) {
      edge.counters.requestsRefused.increment();
      return EdgeRefusal.refuse(ctx, request, 400, problem, 0, edge);
    }
    return handshake(ctx, content, request);
  }

  private NextAction handshake(
      FilterChainContext ctx, HttpContent content, HttpRequestPacket request) {
    UpgradeResponse answer = new TyrusUpgradeResponse();
    WebSocketEngine.UpgradeInfo info = engine.upgrade(tyrusRequest(request), answer);
    switch (info.getStatus()) {
      case SUCCESS:
        break;
      case HANDSHAKE_FAILED:
        copyHeaders(answer, request.getResponse()); // e.g. Sec-WebSocket-Version with a 426
        if (answer.getReasonPhrase() != null) {
          request.getResponse().setReasonPhrase(answer.getReasonPhrase());
        }
        return EdgeRefusal.refuse(ctx, request, answer.getStatus(), null, 0, edge);
      default: // NOT_APPLICABLE: no endpoint for this path; the HTTP handler answers it
        return ctx.getInvokeAction();
    }
    Connection<?> connection = ctx.getConnection();
    HttpResponsePacket response = request.getResponse();
    response.setProtocol(Protocol.HTTP_1_1);
    response.setStatus(answer.getStatus());
    if (answer.getReasonPhrase() != null) {
      response.setReasonPhrase(answer.getReasonPhrase());
    }
    copyHeaders(answer, response);
    // Queued before anything the endpoint's onOpen (run by createConnection) sends.
    ctx.write(HttpContent.builder(response).build());
    IdleTimeoutFilter.setCustomTimeout(connection, -1, TimeUnit.SECONDS);
    ConnectionWriter writer = new ConnectionWriter(connection, edge);
    // createConnection runs the endpoint's onOpen here, which takes this writer for its frames
    org.glassfish.tyrus.spi.Connection tyrus =
        writer.opening(
            () ->
                info.createConnection(
                    writer, reason -> LingeringClose.closeWithin(connection, edge)));
    UpgradedConnection state = upgraded.attach(connection, tyrus);
    if (!connection.isOpen()) {
      // Closed while onOpen ran (a reset, or a failed write on another thread): its close event
      // found no upgraded state to tell Tyrus with. Tyrus ignores a second close.
      state.closedAbnormally(connection);
    }
    // The codec keeps an upgrade request "in process" forever; nothing reads it any more.
    connection.getAttributes().removeAttribute(HttpServerFilter.HTTP_SERVER_REQUEST_ATTR_NAME);
    SEEN.remove(connection);
    Buffer early = content.getContent(); // bytes sent right behind the request, if any
    upgraded.deliver(ctx, state, early);
    return ctx.getStopAction();
  }

  private static void copyHeaders(UpgradeResponse answer, HttpResponsePacket response) {
    for (Map.Entry<String, List<String>> h : answer.getHeaders().entrySet()) {
      response.setHeader(h.getKey(), Utils.getHeaderFromList(h.getValue()));
    }
  }

  /** Tyrus' view of the request: URI, query parameters, headers and addresses. */
  private static RequestContext tyrusRequest(HttpRequestPacket request) {
    Parameters parameters = new Parameters();
    parameters.setQuery(request.getQueryStringDC());
    parameters.setQueryStringEncoding(Charsets.UTF8_CHARSET);
    Map<String, String[]> parameterMap = new HashMap<>();
    for (String name : parameters.getParameterNames()) {
      parameterMap.put(name, parameters.getParameterValues(name));
    }
    String query = request.getQueryString();
    RequestContext context =
        RequestContext.Builder.create()
            .requestURI(URI.create(request.getRequestURI()))
            .queryString(query)
            .parameterMap(parameterMap)
            .secure(request.isSecure())
            .remoteAddr(request.getRemoteAddress())
            .serverAddr(
                request.getLocalHost() == null ? request.getLocalAddress() : request.getLocalHost())
            .serverPort(request.getLocalPort())
            .build();
    Map<String, List<String>> headers = context.getHeaders();
    for (String name : request.getHeaders().names()) {
      for (String value : request.getHeaders().values(name)) {
        List<String> parsed = Utils.parseHeaderValue(value.trim());
        List<String> known = headers.get(name);
        if (known == null) {
          headers.put(name, parsed);
        } else {
          known.addAll(parsed);
        }
      }
    }
    return context;
  }

  /**
   * Lets the HTTP handler answer a non-WebSocket upgrade request as a normal one. The codec has
   * already parsed it as an upgrade (what follows on the connection would be taken as raw bytes),
   * so the connection ends after this response, as Grizzly would end it anyway.
   */
  private static NextAction ignoreUpgrade(FilterChainContext ctx, HttpRequestPacket request) {
    request.getUpgradeDC().recycle();
    request.getHeaders().removeHeader(Header.Upgrade);
    request.getHeaders().setValue(Header.Connection).setString("close");
    request.setIgnoreContentModifiers(false);
    ctx.addCompletionListener(done -> done.getConnection().closeSilently()); // graceful
    return ctx.getInvokeAction();
  }
}
