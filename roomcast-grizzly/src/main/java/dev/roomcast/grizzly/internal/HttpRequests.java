package dev.roomcast.grizzly.internal;

import dev.roomcast.HandshakeRequest;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.glassfish.grizzly.http.server.Request;

/** What a plain-HTTP route (SSE, HTTP publish) tells the hub's {@code Authenticator}. */
final class HttpRequests {
  private HttpRequests() {}

  /** The request as a {@link HandshakeRequest}: room, headers, query parameters, client address. */
  static HandshakeRequest handshake(String room, Request request) {
    return HandshakeRequest.of(
        room == null ? "" : room,
        headers(request),
        query(request.getQueryString()),
        clientAddress(request));
  }

  /**
   * The client's address: what the edge took from {@code X-Forwarded-For} when proxies are trusted
   * ({@link ClientAddress}), else the socket's peer.
   */
  static String clientAddress(Request request) {
    EdgeConnection edge = EdgeConnection.of(request.getContext().getConnection());
    String address = edge == null ? null : edge.clientAddress();
    return address != null ? address : request.getRemoteAddr();
  }

  static Map<String, List<String>> headers(Request request) {
    Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    for (String name : request.getHeaderNames()) {
      List<String> values = headers.computeIfAbsent(name, k -> new ArrayList<>());
      request.getHeaders(name).forEach(values::add);
    }
    return headers;
  }

  /**
   * Decodes a raw query string. Parsed here rather than with {@code Request.getParameter}, which
   * would read a form-encoded request body.
   */
  static Map<String, List<String>> query(String raw) {
    Map<String, List<String>> query = new LinkedHashMap<>();
    if (raw == null || raw.isEmpty()) {
      return query;
    }
    for (String pair : raw.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String k = eq < 0 ? pair : pair.substring(0, eq);
      String v = eq < 0 ? "" : pair.substring(eq + 1);
      try {
        query
            .computeIfAbsent(URLDecoder.decode(k, StandardCharsets.UTF_8), x -> new ArrayList<>())
            .add(URLDecoder.decode(v, StandardCharsets.UTF_8));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("malformed query string");
      }
    }
    return query;
  }
}
