package dev.roomcast.grizzly.internal;

import org.glassfish.grizzly.filterchain.FilterChainBuilder;
import org.glassfish.grizzly.http.server.AddOn;
import org.glassfish.grizzly.http.server.NetworkListener;
import org.glassfish.grizzly.utils.IdleTimeoutFilter;
import org.glassfish.tyrus.spi.WebSocketEngine;

/**
 * Serves WebSockets from a Tyrus engine on a Grizzly {@code HttpServer}'s port, next to its HTTP
 * handlers, behind the server's edge checks: {@link ConnectionGate} admits connections and drops
 * what closing ones send, {@link UpgradedConnectionFilter} carries upgraded connections' bytes to
 * Tyrus past the HTTP codec through the {@link FrameGuard}, {@link RequestCheck} refuses request
 * heads RFC 9112 and RFC 6455 say to refuse, {@link HandshakeFilter} answers the upgrade requests.
 *
 * <p>It replaces Tyrus' own {@code WebSocketAddOn}, which keeps each connection's parsed HTTP
 * request for as long as the WebSocket lives and can only be created reflectively outside Tyrus.
 * The filters go around Grizzly's HTTP codec:
 *
 * <pre>
 * transport - ConnectionGate - UpgradedConnectionFilter - HTTP codec (StrictHttpCodec)
 *           - idle timeout - RequestCheck - HandshakeFilter - HTTP handler
 * </pre>
 *
 * <p>Upgraded connections' reads stop before the idle timeout filter, which {@link HandshakeFilter}
 * has told to never time them out.
 *
 * <p>Immutable; the filters it adds are shared by every connection of the listener.
 */
public final class WebSocketUpgradeAddOn implements AddOn {
  private final WebSocketEngine engine;
  private final Edge edge;
  private final FrameGuard guard;

  /**
   * @param maxMessageBytes messages with more payload are refused with 1009
   */
  public WebSocketUpgradeAddOn(WebSocketEngine engine, int maxMessageBytes, Edge edge) {
    this.engine = engine;
    this.edge = edge;
    this.guard = new FrameGuard(maxMessageBytes, edge);
  }

  @Override
  public void setup(NetworkListener listener, FilterChainBuilder builder) {
    int codec = builder.indexOfType(org.glassfish.grizzly.http.HttpServerFilter.class);
    int handler = builder.indexOfType(org.glassfish.grizzly.http.server.HttpServerFilter.class);
    int idle = builder.indexOfType(IdleTimeoutFilter.class);
    if (codec < 0 || handler < codec || idle < 0) {
      throw new IllegalStateException("unexpected Grizzly filter chain: " + builder);
    }
    builder.set(
        codec,
        StrictHttpCodec.replacing(
            (org.glassfish.grizzly.http.HttpServerFilter) builder.get(codec), listener));
    UpgradedConnectionFilter upgraded = new UpgradedConnectionFilter(guard, edge.inbound);
    // from the back, so the indexes found above stay right
    builder.add(handler, new HandshakeFilter(engine, upgraded, edge));
    builder.add(handler, new RequestCheck(edge));
    builder.add(codec, upgraded);
    builder.add(codec, new ConnectionGate(edge));
  }
}
