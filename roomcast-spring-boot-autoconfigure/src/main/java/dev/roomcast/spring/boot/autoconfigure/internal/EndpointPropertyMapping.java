package dev.roomcast.spring.boot.autoconfigure.internal;

import static dev.roomcast.spring.boot.autoconfigure.internal.PropertyMapping.required;
import static dev.roomcast.spring.boot.autoconfigure.internal.PropertyMapping.value;

import dev.roomcast.jakarta.RoomcastEndpointConfig;
import dev.roomcast.jakarta.sse.SseConfig;
import dev.roomcast.spring.boot.autoconfigure.RoomcastProperties;

/**
 * Turns {@link RoomcastProperties} into roomcast-jakarta's endpoint settings, with errors that name
 * the property (see {@link PropertyMapping}). Stateless.
 */
public final class EndpointPropertyMapping {
  private EndpointPropertyMapping() {}

  /** Path, keepalive, origins and handshake refusals of the WebSocket endpoint. */
  public static RoomcastEndpointConfig endpointConfig(RoomcastProperties p) {
    RoomcastEndpointConfig.Builder b = RoomcastEndpointConfig.builder();
    value("roomcast.websocket.path", () -> b.path(p.getWebsocket().getPath()));
    value(
        "roomcast.keepalive.ping-interval",
        () ->
            b.pingInterval(
                required("roomcast.keepalive.ping-interval", p.getKeepalive().getPingInterval())));
    value(
        "roomcast.keepalive.pong-timeout",
        () ->
            b.pongTimeout(
                required("roomcast.keepalive.pong-timeout", p.getKeepalive().getPongTimeout())));
    OriginAllowList origins = OriginAllowList.of("roomcast.allowed-origins", p.getAllowedOrigins());
    b.allowedOrigins(origins);
    b.refuseAtHandshake(p.isRefuseAtHandshake());
    return b.build();
  }

  /** The SSE timing. */
  public static SseConfig sseConfig(RoomcastProperties p) {
    SseConfig.Builder b = SseConfig.builder();
    value(
        "roomcast.sse.heartbeat",
        () -> b.heartbeat(required("roomcast.sse.heartbeat", p.getSse().getHeartbeat())));
    return b.build();
  }
}
