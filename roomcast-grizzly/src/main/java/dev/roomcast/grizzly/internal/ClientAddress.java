package dev.roomcast.grizzly.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * Which address a request comes from, for per-client limits: the socket's peer, or, behind proxies
 * the operator trusts ({@code ROOMCAST_TRUSTED_PROXY_HOPS}), the address those proxies put in
 * {@code X-Forwarded-For}.
 *
 * <p>Each proxy appends the address it received the request from, so with {@code n} trusted proxies
 * in front the client is the {@code n}-th entry from the right; everything left of it was written
 * by the client and can be anything. Cloud Run's front end is one hop. With no trusted hops (the
 * default) the header is ignored, since any client can send one. A request with fewer entries than
 * trusted hops, or an entry that is not an IP address, counts under the socket's address. Stateless
 * and thread-safe.
 */
final class ClientAddress {
  private static final int MAX_ADDRESS_CHARS = 45; // the longest IPv6 text form

  private ClientAddress() {}

  /**
   * @param socketAddress the peer address of the TCP connection
   * @param forwardedFor every {@code X-Forwarded-For} header value, in order (may be empty)
   * @param trustedHops proxies in front of this server that append to the header, 0 for none
   */
  static String of(String socketAddress, List<String> forwardedFor, int trustedHops) {
    if (trustedHops <= 0 || forwardedFor.isEmpty()) {
      return socketAddress;
    }
    List<String> entries = new ArrayList<>();
    for (String value : forwardedFor) {
      for (String part : value.split(",")) {
        String p = part.trim();
        if (!p.isEmpty()) {
          entries.add(p);
        }
      }
    }
    int index = entries.size() - trustedHops;
    if (index < 0) {
      return socketAddress;
    }
    String candidate = entries.get(index);
    return looksLikeIp(candidate) ? candidate : socketAddress;
  }

  private static boolean looksLikeIp(String s) {
    if (s.isEmpty() || s.length() > MAX_ADDRESS_CHARS) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean ok =
          (c >= '0' && c <= '9')
              || (c >= 'a' && c <= 'f')
              || (c >= 'A' && c <= 'F')
              || c == '.'
              || c == ':';
      if (!ok) {
        return false;
      }
    }
    return true;
  }
}
