package dev.roomcast.grizzly.internal;

import java.io.IOException;
import org.glassfish.grizzly.Buffer;
import org.glassfish.grizzly.Connection;
import org.glassfish.grizzly.filterchain.BaseFilter;
import org.glassfish.grizzly.filterchain.FilterChainContext;
import org.glassfish.grizzly.filterchain.NextAction;

/**
 * Sits in front of Grizzly's HTTP codec and takes the bytes of upgraded connections away from it:
 * they go to Tyrus as they arrive, through the frame guard. Connections still speaking HTTP pass on
 * to the codec unchanged.
 *
 * <p>Why: left to the codec, an upgraded connection's bytes are wrapped as the body of its upgrade
 * request, so the parsed request, its response and their header buffers stay reachable for the life
 * of the connection (about 8 KB per idle WebSocket, most of what one costs; see
 * docs/benchmarks.md). Taking the bytes here lets {@link HandshakeFilter} drop all of it after the
 * handshake, and saves the codec's work on every frame.
 *
 * <p>Stateless and shared by all connections; per-connection state is in {@link
 * UpgradedConnection}.
 */
final class UpgradedConnectionFilter extends BaseFilter {
  private final FrameGuard guard;
  private final InboundBudget inbound;

  /** {@code guard} may be {@code null}: no frame checks beyond Tyrus' own. */
  UpgradedConnectionFilter(FrameGuard guard, InboundBudget inbound) {
    this.guard = guard;
    this.inbound = inbound;
  }

  /**
   * Marks {@code connection} as upgraded to {@code tyrus}: from now on this filter takes its bytes,
   * through the guard when there is one.
   */
  UpgradedConnection attach(Connection<?> connection, org.glassfish.tyrus.spi.Connection tyrus) {
    return UpgradedConnection.attach(connection, tyrus, guard != null);
  }

  @Override
  public NextAction handleRead(FilterChainContext ctx) throws IOException {
    UpgradedConnection upgraded = UpgradedConnection.of(ctx.getConnection());
    if (upgraded == null) {
      return ctx.getInvokeAction();
    }
    Buffer bytes = ctx.getMessage();
    deliver(ctx, upgraded, bytes);
    return ctx.getStopAction();
  }

  /**
   * Passes frame bytes to Tyrus unless the guard refused the connection. Also used by {@link
   * HandshakeFilter} for bytes that arrived together with the upgrade request.
   */
  void deliver(FilterChainContext ctx, UpgradedConnection upgraded, Buffer bytes) {
    if (!bytes.hasRemaining()) {
      return;
    }
    if (guard != null
        && guard.scan(ctx.getConnection(), bytes, upgraded.guard) == FrameGuard.Verdict.REFUSED) {
      return; // the guard answered with a close frame and closes the connection
    }
    upgraded.read(bytes);
  }

  @Override
  public NextAction handleClose(FilterChainContext ctx) throws IOException {
    UpgradedConnection upgraded = UpgradedConnection.of(ctx.getConnection());
    if (upgraded != null) {
      if (upgraded.guard != null) {
        upgraded.guard.release(inbound);
      }
      upgraded.closedAbnormally(ctx.getConnection());
    }
    return ctx.getInvokeAction();
  }
}
