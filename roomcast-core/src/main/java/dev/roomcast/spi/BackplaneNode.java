package dev.roomcast.spi;

import dev.roomcast.StreamPosition;
import java.util.concurrent.CompletionStage;

/**
 * One hub's handle on a {@link Backplane}.
 *
 * <p>Threading: every method may be called from any thread and must not block on the network for
 * long; asynchronous results complete on a backplane thread (or inline). {@link #subscribe} and
 * {@link #unsubscribe} for one room are called in the order the hub decides them (inside the room's
 * registry update), and must take effect in that order.
 *
 * <p>Guarantees a backplane must give (checked by the contract suite in roomcast-core's test-jar):
 *
 * <ul>
 *   <li>{@link #publish} assigns the next offset of the room (1, 2, 3, ... within an epoch) and
 *       appends the message to history in one atomic step; every node agrees on the offsets.
 *   <li>Messages and notices reach every <em>other</em> node subscribed to the room, never the
 *       publishing node itself. Messages from one publisher reach a subscriber in offset order.
 *   <li>{@link #readHistory} returns exactly the messages after the given offset, in order, or says
 *       the position is not recoverable; it never returns a page with a hole.
 * </ul>
 */
public interface BackplaneNode extends AutoCloseable {

  /**
   * Starts receiving the room's live traffic from other nodes. Called when the first local member
   * joins the room. Idempotent.
   */
  void subscribe(String room);

  /** Stops receiving the room's traffic. Called when the last local member left. */
  void unsubscribe(String room);

  /**
   * Assigns the next offset, appends to history and forwards to the other subscribed nodes.
   *
   * @return the stored message; fails with {@link dev.roomcast.BackplaneUnavailableException} when
   *     the backplane cannot be reached (fast, never hanging)
   */
  CompletionStage<RoomMessage> publish(MessageDraft draft);

  /** Forwards a live-only notice to the other subscribed nodes; best effort, never stored. */
  void publishNotice(RoomNotice notice);

  /**
   * Reads history after a position.
   *
   * @param room the room
   * @param epoch the epoch the caller knows, or {@code null} to accept the current one
   * @param afterOffset return messages with an offset greater than this
   * @param limit the most messages to return; a page cut short by the limit is still {@code
   *     complete} and ends before {@code headOffset}
   */
  CompletionStage<HistoryPage> readHistory(String room, String epoch, long afterOffset, int limit);

  /** The room's current epoch and last offset (offset 0 when nothing was published yet). */
  CompletionStage<StreamPosition> position(String room);

  /**
   * Whether this backplane keeps cluster-wide presence ({@link #presenceAdd}, {@link
   * #presenceRemove}, {@link #presence}). When not, the hub reports its local members only.
   */
  default boolean supportsPresence() {
    return false;
  }

  /**
   * Lists a member of this node in the room's presence (replacing this node's entry with the same
   * client id). Best effort and non-blocking; a backplane that can lose nodes without a goodbye
   * must expire a node's entries within a bounded time (a lease) and renew them while the node
   * lives.
   */
  default void presenceAdd(String room, dev.roomcast.PresenceMember member) {}

  /** Removes this node's entry for the client id (entries of other nodes stay). */
  default void presenceRemove(String room, String clientId) {}

  /**
   * Every node's live entries for the room, one per client id (the most recent join wins), sorted
   * by join time.
   */
  default CompletionStage<java.util.List<dev.roomcast.PresenceMember>> presence(String room) {
    return java.util.concurrent.CompletableFuture.failedFuture(
        new UnsupportedOperationException("this backplane keeps no presence"));
  }

  /** Whether the backplane is reachable right now. */
  boolean isHealthy();

  /** Detaches: unsubscribes everything, stops threads, releases connections. Never hangs. */
  @Override
  void close();
}
