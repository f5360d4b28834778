package dev.roomcast.spi;

/**
 * How hub instances share rooms. A backplane is the shared medium (in-memory, Redis); each hub
 * {@linkplain #attach attaches} to it once and gets its own {@link BackplaneNode}.
 *
 * <p>Division of labour (as in socket.io's cluster adapter): the hub owns the room protocol —
 * membership, ordering, dedup, resume — and the backplane only moves and stores messages. The
 * backplane assigns offsets and appends history atomically, delivers live traffic to the other
 * attached nodes that subscribed to the room, and serves history reads.
 *
 * <p>Implementations must be thread-safe.
 */
public interface Backplane {

  /**
   * Attaches one hub. Called once per hub, from the hub's constructor.
   *
   * @param nodeId the hub's unique node id; messages and notices this node publishes carry it, and
   *     the backplane must not hand them back to the same node's listener
   * @param listener where live traffic from other nodes and connection health go
   * @return the node handle, owned by the hub, closed by the hub on shutdown
   */
  BackplaneNode attach(String nodeId, BackplaneListener listener);

  /** A short name for logs and readiness output, e.g. {@code "in-memory"} or {@code "redis"}. */
  String name();
}
