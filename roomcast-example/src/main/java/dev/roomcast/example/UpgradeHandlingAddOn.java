package dev.roomcast.example;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.glassfish.grizzly.Grizzly;
import org.glassfish.grizzly.attributes.Attribute;
import org.glassfish.grizzly.filterchain.BaseFilter;
import org.glassfish.grizzly.filterchain.FilterChainBuilder;
import org.glassfish.grizzly.filterchain.FilterChainContext;
import org.glassfish.grizzly.filterchain.NextAction;
import org.glassfish.grizzly.http.HttpContent;
import org.glassfish.grizzly.http.HttpHeader;
import org.glassfish.grizzly.http.HttpRequestPacket;
import org.glassfish.grizzly.http.HttpResponsePacket;
import org.glassfish.grizzly.http.server.AddOn;
import org.glassfish.grizzly.http.server.HttpServerFilter;
import org.glassfish.grizzly.http.server.NetworkListener;
import org.glassfish.grizzly.http.util.Header;
import org.glassfish.grizzly.utils.IdleTimeoutFilter;

/**
 * What Grizzly needs told about {@code Upgrade} requests on the shared port:
 *
 * <ol>
 *   <li>WebSocket upgrade requests Tyrus would mishandle ({@link UpgradeRequestCheck}: a malformed
 *       URI, a bad {@code Sec-WebSocket-Key}) are answered 400 before Tyrus sees them.
 *   <li>Frames larger than the message limit are refused with 1009 from their header, before Tyrus
 *       buffers them ({@link FrameSizeGuard}).
 *   <li>Upgraded WebSocket connections are exempt from the HTTP keep-alive idle timeout.
 *   <li>Other upgrades (HTTP/2 cleartext, {@code Upgrade: h2c}, sent by the JDK's HttpClient and
 *       {@code curl --http2}) are ignored, as RFC 9110 allows, and answered as plain HTTP/1.1. Left
 *       alone, Grizzly treats such a request as an upgrade and drops the response's {@code
 *       Content-Type}.
 * </ol>
 *
 * <p>Grizzly's {@code HttpServer} puts an {@link IdleTimeoutFilter} with the keep-alive idle
 * timeout (30 s by default) in front of every connection; it would close a quiet WebSocket after 30
 * s. Tyrus' own {@code GrizzlyServerContainer} turns the timeout off for the whole listener (plain
 * HTTP included). This add-on keeps it for plain HTTP and, when a request was answered with 101
 * Switching Protocols, sets that one connection's idle timeout to "never" (liveness of WebSockets
 * is the endpoint's ping/pong keepalive).
 *
 * <p>How: the filter sits after the {@code IdleTimeoutFilter} and before Tyrus' filter; for an
 * upgrade request it adds a completion listener. Grizzly runs completion listeners last-added
 * first, so ours sees the 101 status Tyrus set and changes the timeout before the idle filter
 * computes the connection's next deadline. Register this add-on before Tyrus' {@code
 * WebSocketAddOn}.
 */
final class UpgradeHandlingAddOn implements AddOn {
  private final FrameSizeGuard guard;

  /** Without a frame size limit (Tyrus' own buffer limit applies: 1011 above it). */
  UpgradeHandlingAddOn() {
    this.guard = null;
  }

  /** Frames with a payload over {@code maxFrameBytes} are refused with 1009. */
  UpgradeHandlingAddOn(int maxFrameBytes) {
    this.guard = new FrameSizeGuard(maxFrameBytes);
  }

  @Override
  public void setup(NetworkListener listener, FilterChainBuilder builder) {
    int httpServerFilter = builder.indexOfType(HttpServerFilter.class);
    if (httpServerFilter < 0 || builder.indexOfType(IdleTimeoutFilter.class) < 0) {
      throw new IllegalStateException("unexpected Grizzly filter chain: " + builder);
    }
    builder.add(httpServerFilter, new Filter(guard));
  }

  private static final class Filter extends BaseFilter {
    private final FrameSizeGuard guard;

    Filter(FrameSizeGuard guard) {
      this.guard = guard;
    }

    /** Set once the upgrade request of a connection was seen (frames follow on that connection). */
    private static final Attribute<Boolean> SEEN =
        Grizzly.DEFAULT_ATTRIBUTE_BUILDER.createAttribute(
            UpgradeHandlingAddOn.class.getName() + ".seen");

    @Override
    public NextAction handleRead(FilterChainContext ctx) throws IOException {
      Object message = ctx.getMessage();
      if (message instanceof HttpContent) {
        HttpHeader header = ((HttpContent) message).getHttpHeader();
        if (header.isRequest() && header.isUpgrade()) {
          boolean websocket = "websocket".equalsIgnoreCase(header.getUpgrade());
          if (websocket && !SEEN.isSet(ctx.getConnection())) {
            HttpRequestPacket request = (HttpRequestPacket) header;
            String problem =
                UpgradeRequestCheck.problem(
                    request.getRequestURI(),
                    request.getQueryString(),
                    request.getHeader("Sec-WebSocket-Key"));
            if (problem != null) {
              return badRequest(ctx, request);
            }
          }
          if (SEEN.isSet(ctx.getConnection()) && guard != null) {
            FrameSizeGuard.Verdict v = guard.scan(ctx.getConnection(), ((HttpContent) message));
            if (v == FrameSizeGuard.Verdict.TOO_BIG) {
              return ctx.getStopAction(); // the guard answered with 1009 and closes the connection
            }
          }
          if (!websocket) {
            // The codec already parsed it as an upgrade (what follows on the connection would be
            // taken as raw bytes), so the connection ends after this response, as Grizzly would
            // end it anyway; but the response itself is a normal one, headers included.
            header.getUpgradeDC().recycle();
            header.getHeaders().removeHeader(Header.Upgrade);
            header.getHeaders().setValue(Header.Connection).setString("close");
            header.setIgnoreContentModifiers(false);
            ctx.addCompletionListener(done -> done.getConnection().closeSilently()); // graceful
            return ctx.getInvokeAction();
          }
          if (SEEN.isSet(ctx.getConnection())) {
            return ctx.getInvokeAction(); // a WebSocket frame on an upgraded connection
          }
          SEEN.set(ctx.getConnection(), Boolean.TRUE);
          HttpRequestPacket request = (HttpRequestPacket) header;
          ctx.addCompletionListener(
              done -> {
                // no response when Tyrus passed the request on and it was answered and recycled
                HttpResponsePacket response = request.getResponse();
                if (response != null && response.getStatus() == 101) {
                  IdleTimeoutFilter.setCustomTimeout(done.getConnection(), -1, TimeUnit.SECONDS);
                }
              });
        }
      }
      return ctx.getInvokeAction();
    }

    /** Answers 400 without upgrading and closes the connection once that is written. */
    private static NextAction badRequest(FilterChainContext ctx, HttpRequestPacket request) {
      HttpResponsePacket response = request.getResponse();
      response.setStatus(400);
      response.setReasonPhrase("Bad Request");
      response.setContentLength(0);
      response.getHeaders().setValue(Header.Connection).setString("close");
      ctx.write(HttpContent.builder(response).last(true).build());
      ctx.addCompletionListener(done -> done.getConnection().closeSilently());
      return ctx.getStopAction();
    }
  }
}
