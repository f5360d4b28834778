package dev.roomcast.redis;

import dev.roomcast.StreamPosition;
import dev.roomcast.spi.BackplaneListener;
import dev.roomcast.spi.HistoryPage;
import dev.roomcast.spi.MessageDraft;
import dev.roomcast.spi.RoomMessage;
import dev.roomcast.spi.RoomNotice;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * One hub's attachment to N independent Redis servers: one {@link RedisNode} per shard, each with
 * its own connections and threads, and every room on the shard {@link ShardRouter} picks for it.
 * Since a room's keys, script and channel are all on one server, each shard keeps every guarantee
 * of the single-endpoint mode for its rooms; rooms on different shards share nothing.
 *
 * <p>Health is joined ({@link HealthJoin}): the node is healthy while every shard is, and the hub
 * hears one {@code onLost} when the first shard goes down and one {@code onRestored} when the last
 * is back. While one shard is down, rooms on the others keep working; publishes to rooms on the
 * down shard fail fast.
 *
 * <p>Thread-safe: the shard list is fixed; every call goes to one shard's node.
 */
final class ShardedNode implements RedisPresenceNode {
  private final String nodeId;
  private final ShardRouter router;
  private final List<RedisNode> shards;
  private final HealthJoin health;
  private final RedisPresence presence;

  private ShardedNode(
      String nodeId, ShardRouter router, List<RedisNode> shards, HealthJoin h, Wire wire) {
    this.nodeId = nodeId;
    this.router = router;
    this.shards = shards;
    this.health = h;
    // a room's presence lives on the room's shard, next to its history
    this.presence = new RedisPresence(wire, nodeId, op -> shard(op.room()).submitOp(op));
  }

  /**
   * Starts one node per shard and waits for them together (at most as long as the single mode waits
   * for its one connection), so a shard that is down does not delay the others.
   */
  static ShardedNode start(RedisConfig config, String nodeId, BackplaneListener listener) {
    HealthJoin health = new HealthJoin(listener);
    List<RedisNode> nodes = new ArrayList<>(config.shards.size());
    for (int i = 0; i < config.shards.size(); i++) {
      String link = Integer.toString(i);
      health.add(link);
      nodes.add(
          RedisNode.launch(
              config,
              config.shards.get(i),
              nodeId,
              RedisNode.standalone("shard" + i + "-"),
              new LinkListener(listener, health, link)));
    }
    long deadline = System.nanoTime() + RedisNode.firstUpWaitNanos(config);
    for (int i = 0; i < nodes.size(); i++) {
      // a link that came up before it was attached reported nothing: tell the join
      if (nodes.get(i).awaitFirstUp(deadline) || nodes.get(i).isHealthy()) {
        health.restored(Integer.toString(i));
      }
    }
    health.attach();
    return new ShardedNode(
        nodeId,
        new ShardRouter(nodes.size()),
        List.copyOf(nodes),
        health,
        new Wire(config.keyPrefix));
  }

  private RedisNode shard(String room) {
    return shards.get(router.shardOf(room));
  }

  @Override
  public void subscribe(String room) {
    shard(room).subscribe(room);
  }

  @Override
  public void unsubscribe(String room) {
    shard(room).unsubscribe(room);
  }

  @Override
  public CompletionStage<RoomMessage> publish(MessageDraft draft) {
    return shard(draft.room()).publish(draft);
  }

  @Override
  public void publishNotice(RoomNotice notice) {
    shard(notice.room()).publishNotice(notice);
  }

  @Override
  public CompletionStage<HistoryPage> readHistory(
      String room, String epoch, long afterOffset, int limit) {
    return shard(room).readHistory(room, epoch, afterOffset, limit);
  }

  @Override
  public CompletionStage<StreamPosition> position(String room) {
    return shard(room).position(room);
  }

  @Override
  public boolean isHealthy() {
    return health.isHealthy();
  }

  @Override
  public RedisPresence presenceStore() {
    return presence;
  }

  @Override
  public void close() {
    presence.close();
    // all stop at once, then are waited for together: bounded by 2 s, not 2 s per shard
    for (RedisNode n : shards) {
      n.beginClose();
    }
    long deadline = System.nanoTime() + RedisNode.CLOSE_WAIT_NANOS;
    for (RedisNode n : shards) {
      n.awaitClosed(deadline);
    }
  }

  @Override
  public String toString() {
    return "ShardedNode{"
        + nodeId
        + ", "
        + shards.size()
        + " shards, down "
        + health.downLinks()
        + "}";
  }

  /**
   * A link's listener: traffic goes straight to the hub's listener, health to the join. Called on
   * the link's threads.
   */
  static final class LinkListener implements BackplaneListener {
    private final BackplaneListener hub;
    private final HealthJoin health;
    private final String link;

    LinkListener(BackplaneListener hub, HealthJoin health, String link) {
      this.hub = hub;
      this.health = health;
      this.link = link;
    }

    @Override
    public void onMessage(RoomMessage message) {
      hub.onMessage(message);
    }

    @Override
    public void onNotice(RoomNotice notice) {
      hub.onNotice(notice);
    }

    @Override
    public void onLost(Throwable cause) {
      health.lost(link, cause);
    }

    @Override
    public void onRestored() {
      health.restored(link);
    }
  }
}
