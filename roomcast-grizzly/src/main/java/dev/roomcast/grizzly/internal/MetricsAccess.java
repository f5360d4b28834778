package dev.roomcast.grizzly.internal;

import dev.roomcast.Hub;
import dev.roomcast.JoinRejectedException;
import dev.roomcast.grizzly.EdgeConfig;
import dev.roomcast.grizzly.RouteHandler;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

/**
 * Who may read {@code /metrics} and {@code /metrics/prometheus}. With {@code
 * ROOMCAST_METRICS_TOKEN} set, only a request with {@code Authorization: Bearer <that token>} (what
 * Prometheus sends with {@code authorization.credentials}); otherwise, when connections need a
 * signed token ({@code ROOMCAST_JWT_SECRET}), a request with any valid one; otherwise anyone, as on
 * the seed server. Refusals are 401 with {@code WWW-Authenticate: Bearer}. Room names appear only
 * with {@code ROOMCAST_METRICS_ROOM_NAMES=true}, whoever asks.
 *
 * <p>Immutable and thread-safe.
 */
public final class MetricsAccess {
  private final Optional<byte[]> token;
  private final Hub hub;
  private final boolean tokensRequired;

  public MetricsAccess(EdgeConfig config, Hub hub, boolean tokensRequired) {
    this.token = config.metricsToken().map(t -> t.getBytes(StandardCharsets.UTF_8));
    this.hub = hub;
    this.tokensRequired = tokensRequired;
  }

  /** {@code handler}, answered only for callers this policy lets in. */
  public RouteHandler guard(RouteHandler handler) {
    if (token.isEmpty() && !tokensRequired) {
      return handler;
    }
    return (request, response, params) -> {
      String refusal = refusal(HttpRequests.handshake("", request).bearerToken(), request);
      if (refusal != null) {
        response.setHeader("WWW-Authenticate", "Bearer");
        Responses.text(response, 401, refusal);
        return;
      }
      handler.handle(request, response, params);
    };
  }

  private String refusal(String bearer, org.glassfish.grizzly.http.server.Request request) {
    if (token.isPresent()) {
      byte[] given = bearer == null ? new byte[0] : bearer.getBytes(StandardCharsets.UTF_8);
      return MessageDigest.isEqual(given, token.get()) ? null : "metrics need the metrics token";
    }
    try {
      hub.authenticate(HttpRequests.handshake("", request));
      return null;
    } catch (JoinRejectedException e) {
      return "metrics need a valid token";
    }
  }
}
