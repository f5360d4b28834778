package dev.roomcast.grizzly.internal;

import org.glassfish.grizzly.Buffer;
import org.glassfish.grizzly.Grizzly;
import org.glassfish.grizzly.attributes.Attribute;
import org.glassfish.grizzly.filterchain.FilterChainContext;
import org.glassfish.grizzly.http.ContentEncoding;
import org.glassfish.grizzly.http.HttpHeader;
import org.glassfish.grizzly.http.HttpPacketParsing;
import org.glassfish.grizzly.http.HttpProbe;
import org.glassfish.grizzly.http.HttpServerFilter;
import org.glassfish.grizzly.http.server.NetworkListener;

/**
 * Grizzly's HTTP server codec, configured as the listener configured it, that also remembers
 * whether a request head carried a {@code Content-Length} next to {@code Transfer-Encoding:
 * chunked} ({@link #AMBIGUOUS_LENGTH}), for {@link RequestCheck} to refuse.
 *
 * <p>Why a codec of our own: Grizzly lets chunked win, as RFC 9112 allows, and removes the
 * Content-Length header it saw first, so by the time any filter sees the request nothing shows that
 * it had one. A front proxy that went by the Content-Length would then see a different request
 * boundary than this server: request smuggling. The parsing state still knows while the head is
 * being finished, which is when this class looks.
 *
 * <p>Thread-safe as Grizzly's codec is; the one added method only reads the request being parsed.
 */
final class StrictHttpCodec extends HttpServerFilter {
  /** Set on a request whose head had both a {@code Content-Length} and chunked framing. */
  static final Attribute<Boolean> AMBIGUOUS_LENGTH =
      Grizzly.DEFAULT_ATTRIBUTE_BUILDER.createAttribute(
          StrictHttpCodec.class.getName() + ".ambiguous");

  @SuppressWarnings("deprecation") // the constructor Grizzly's own HttpServer uses
  private StrictHttpCodec(NetworkListener listener) {
    super(
        listener.isChunkingEnabled(),
        listener.getMaxHttpHeaderSize() == -1
            ? HttpServerFilter.DEFAULT_MAX_HTTP_PACKET_HEADER_SIZE
            : listener.getMaxHttpHeaderSize(),
        null,
        listener.getKeepAlive(),
        null, // the idle timeout filter handles idle connections
        listener.getMaxRequestHeaders(),
        listener.getMaxResponseHeaders());
  }

  /** A codec configured like {@code existing}, the one Grizzly built for {@code listener}. */
  static StrictHttpCodec replacing(HttpServerFilter existing, NetworkListener listener) {
    StrictHttpCodec codec = new StrictHttpCodec(listener);
    for (ContentEncoding encoding : existing.getContentEncodings()) {
      codec.addContentEncoding(encoding);
    }
    codec.setAllowPayloadForUndefinedHttpMethods(existing.isAllowPayloadForUndefinedHttpMethods());
    codec.setMaxPayloadRemainderToSkip(existing.getMaxPayloadRemainderToSkip());
    HttpProbe[] probes = existing.getMonitoringConfig().getProbes();
    codec.getMonitoringConfig().addProbes(probes);
    return codec;
  }

  @Override
  protected boolean onHttpHeaderParsed(HttpHeader header, Buffer buffer, FilterChainContext ctx) {
    boolean error = super.onHttpHeaderParsed(header, buffer, ctx);
    if (header.isRequest()
        && header.isChunked()
        && header instanceof HttpPacketParsing parsing
        && (parsing.getHeaderParsingState().contentLengthHeadersCount > 0
            || header.getHeaders().getHeader("Content-Length") != null)) {
      AMBIGUOUS_LENGTH.set(header, Boolean.TRUE);
    }
    return error;
  }
}
