package dev.roomcast.client.internal;

import dev.roomcast.StreamPosition;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** The URI of one connection attempt: the server's base, the room, the resume query. Stateless. */
public final class RoomUris {
  private RoomUris() {}

  /**
   * {@code <base>/<room>[?<base query>][&]since=<offset>&epoch=<epoch>}.
   *
   * @param base {@code ws://host:port} or {@code wss://host/prefix}, with an optional query (e.g.
   *     {@code ?token=...}) that is kept
   * @param room a valid room name (1-128 of {@code A-Z a-z 0-9 _ - . : @}: legal in a path segment
   *     as they are, and servers match them unescaped)
   * @param from the position to resume from, or {@code null}
   */
  public static URI of(URI base, String room, StreamPosition from) {
    String s = base.toString();
    String query = null;
    int q = s.indexOf('?');
    if (q >= 0) {
      query = s.substring(q + 1);
      s = s.substring(0, q);
    }
    StringBuilder sb = new StringBuilder(s);
    if (!s.endsWith("/")) {
      sb.append('/');
    }
    sb.append(room);
    String sep = "?";
    if (query != null && !query.isEmpty()) {
      sb.append('?').append(query);
      sep = "&";
    }
    if (from != null) {
      sb.append(sep)
          .append("since=")
          .append(from.offset())
          .append("&epoch=")
          .append(URLEncoder.encode(from.epoch(), StandardCharsets.UTF_8));
    }
    return URI.create(sb.toString());
  }
}
