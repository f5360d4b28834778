package dev.roomcast.redis;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import redis.clients.jedis.util.JedisClusterCRC16;

/**
 * A Redis Cluster's slot map as one node reported it ({@code CLUSTER SLOTS}): which primary owns
 * each of the 16384 slots, and every node named, replicas included (candidates for the next look-up
 * when a primary is gone). Immutable and thread-safe.
 */
final class SlotMap {
  static final int SLOTS = 16384;

  private final String[] owners; // host:port per slot, null where no node serves it
  private final List<String> primaries;
  private final List<String> nodes;

  private SlotMap(String[] owners, List<String> primaries, List<String> nodes) {
    this.owners = owners;
    this.primaries = List.copyOf(primaries);
    this.nodes = List.copyOf(nodes);
  }

  /** The slot of a key or channel, honouring its {@code {hash tag}}. */
  static int slotOf(String key) {
    return JedisClusterCRC16.getSlot(key);
  }

  /** {@code host:port} of the primary serving a slot, or {@code null}. */
  String owner(int slot) {
    return owners[slot];
  }

  /** Primaries that own at least one slot. */
  List<String> primaries() {
    return primaries;
  }

  /** Every node in the reply, primaries first. */
  List<String> nodes() {
    return nodes;
  }

  /**
   * Reads a {@code CLUSTER SLOTS} reply: {@code [[start, end, [host, port, id, ...], replica...],
   * ...]}.
   *
   * @param askedHost the host that was asked, for a node that reports an empty host (it does not
   *     know its own address)
   */
  static SlotMap parse(List<?> reply, String askedHost) {
    String[] owners = new String[SLOTS];
    Set<String> primaries = new LinkedHashSet<>();
    Set<String> replicas = new LinkedHashSet<>();
    for (Object o : reply) {
      List<?> range = (List<?>) o;
      int start = ((Long) range.get(0)).intValue();
      int end = ((Long) range.get(1)).intValue();
      String primary = address((List<?>) range.get(2), askedHost);
      primaries.add(primary);
      for (int slot = start; slot <= end; slot++) {
        owners[slot] = primary;
      }
      for (int i = 3; i < range.size(); i++) {
        replicas.add(address((List<?>) range.get(i), askedHost));
      }
    }
    List<String> nodes = new ArrayList<>(primaries);
    for (String r : replicas) {
      if (!primaries.contains(r)) {
        nodes.add(r);
      }
    }
    return new SlotMap(owners, new ArrayList<>(primaries), nodes);
  }

  private static String address(List<?> node, String askedHost) {
    String host = Wire.text(node.get(0));
    if (host.isEmpty()) {
      host = askedHost;
    }
    long port = (Long) node.get(1);
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
  }

  /** The host of a {@code host:port} address. */
  static String hostOf(String address) {
    int colon = address.lastIndexOf(':');
    String h = address.substring(0, colon);
    return h.startsWith("[") ? h.substring(1, h.length() - 1) : h;
  }

  /** The port of a {@code host:port} address. */
  static int portOf(String address) {
    return Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
  }
}
