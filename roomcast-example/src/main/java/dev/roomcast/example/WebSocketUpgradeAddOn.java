package dev.roomcast.example;

import org.glassfish.grizzly.filterchain.FilterChainBuilder;
import org.glassfish.grizzly.http.server.AddOn;
import org.glassfish.grizzly.http.server.NetworkListener;
import org.glassfish.grizzly.utils.IdleTimeoutFilter;
import org.glassfish.tyrus.spi.WebSocketEngine;

/**
 * Serves WebSockets from a Tyrus engine on a Grizzly {@code HttpServer}'s port, next to its HTTP
 * handlers: {@link HandshakeFilter} answers the upgrade requests, {@link UpgradedConnectionFilter}
 * carries upgraded connections' bytes to Tyrus past the HTTP codec, {@link FrameSizeGuard} refuses
 * oversized frames from their headers.
 *
 * <p>It replaces Tyrus' own {@code WebSocketAddOn}, which keeps each connection's parsed HTTP
 * request for as long as the WebSocket lives and can only be created reflectively outside Tyrus.
 * The filters go around Grizzly's HTTP codec:
 *
 * <pre>
 * transport - UpgradedConnectionFilter - HTTP codec - idle timeout - HandshakeFilter - HTTP handler
 * </pre>
 *
 * <p>Upgraded connections' reads stop before the idle timeout filter, which {@link HandshakeFilter}
 * has told to never time them out.
 *
 * <p>Immutable; the filters it adds are shared by every connection of the listener.
 */
final class WebSocketUpgradeAddOn implements AddOn {
  private final WebSocketEngine engine;
  private final FrameSizeGuard guard;

  /**
   * @param maxFrameBytes frames (or fragmented messages) with more payload are refused with 1009; 0
   *     leaves only Tyrus' own buffer limit (1011 above it)
   */
  WebSocketUpgradeAddOn(WebSocketEngine engine, int maxFrameBytes) {
    this.engine = engine;
    this.guard = maxFrameBytes > 0 ? new FrameSizeGuard(maxFrameBytes) : null;
  }

  @Override
  public void setup(NetworkListener listener, FilterChainBuilder builder) {
    int codec = builder.indexOfType(org.glassfish.grizzly.http.HttpServerFilter.class);
    int handler = builder.indexOfType(org.glassfish.grizzly.http.server.HttpServerFilter.class);
    int idle = builder.indexOfType(IdleTimeoutFilter.class);
    if (codec < 0 || handler < codec || idle < 0) {
      throw new IllegalStateException("unexpected Grizzly filter chain: " + builder);
    }
    UpgradedConnectionFilter upgraded = new UpgradedConnectionFilter(guard);
    builder.add(handler, new HandshakeFilter(engine, upgraded));
    builder.add(codec, upgraded);
  }
}
