package dev.roomcast.bench;

import java.net.URI;
import java.util.List;

/**
 * A server (or pair of servers sharing a backplane) the scenarios run against.
 *
 * @param name label used in tables and files
 * @param uris one base URI, or two for the split-room (redis) scenario
 * @param pids process ids whose CPU and RSS are measured; empty when unknown (external server)
 */
public record Target(String name, List<URI> uris, List<Long> pids) {
  /** Validates that every URI is a {@code ws://} address on 127.0.0.0/8: load stays on loopback. */
  public Target {
    uris = List.copyOf(uris);
    pids = List.copyOf(pids);
    for (URI u : uris) {
      requireLoopback(u);
    }
  }

  /** Throws unless {@code u} is ws:// to a literal or resolved address in 127.0.0.0/8. */
  public static void requireLoopback(URI u) {
    if (!"ws".equals(u.getScheme()) || u.getHost() == null) {
      throw new IllegalArgumentException("need ws://127.x.x.x:PORT, got " + u);
    }
    try {
      byte[] a = java.net.InetAddress.getByName(u.getHost()).getAddress();
      if (a.length != 4 || a[0] != 127) {
        throw new IllegalArgumentException("load tests target loopback only (127.0.0.0/8): " + u);
      }
    } catch (java.net.UnknownHostException e) {
      throw new IllegalArgumentException("cannot resolve " + u, e);
    }
  }
}
