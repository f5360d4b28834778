package dev.roomcast.example;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.glassfish.grizzly.filterchain.BaseFilter;
import org.glassfish.grizzly.filterchain.FilterChainBuilder;
import org.glassfish.grizzly.filterchain.FilterChainContext;
import org.glassfish.grizzly.filterchain.NextAction;
import org.glassfish.grizzly.http.HttpContent;
import org.glassfish.grizzly.http.HttpHeader;
import org.glassfish.grizzly.http.HttpRequestPacket;
import org.glassfish.grizzly.http.server.AddOn;
import org.glassfish.grizzly.http.server.HttpServerFilter;
import org.glassfish.grizzly.http.server.NetworkListener;
import org.glassfish.grizzly.utils.IdleTimeoutFilter;

/**
 * Exempts upgraded WebSocket connections from Grizzly's HTTP keep-alive idle timeout.
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
final class UpgradedConnectionsNeverIdle implements AddOn {

  @Override
  public void setup(NetworkListener listener, FilterChainBuilder builder) {
    int httpServerFilter = builder.indexOfType(HttpServerFilter.class);
    if (httpServerFilter < 0 || builder.indexOfType(IdleTimeoutFilter.class) < 0) {
      throw new IllegalStateException("unexpected Grizzly filter chain: " + builder);
    }
    builder.add(httpServerFilter, new Filter());
  }

  private static final class Filter extends BaseFilter {
    @Override
    public NextAction handleRead(FilterChainContext ctx) throws IOException {
      Object message = ctx.getMessage();
      if (message instanceof HttpContent) {
        HttpHeader header = ((HttpContent) message).getHttpHeader();
        if (header.isRequest()
            && header.isUpgrade()
            && "websocket".equalsIgnoreCase(header.getUpgrade())) {
          HttpRequestPacket request = (HttpRequestPacket) header;
          ctx.addCompletionListener(
              done -> {
                if (request.getResponse().getStatus() == 101) {
                  IdleTimeoutFilter.setCustomTimeout(done.getConnection(), -1, TimeUnit.SECONDS);
                }
              });
        }
      }
      return ctx.getInvokeAction();
    }
  }
}
