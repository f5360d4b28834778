package dev.roomcast.redis;

import dev.roomcast.BackplaneUnavailableException;
import dev.roomcast.StreamPosition;
import dev.roomcast.spi.BackplaneListener;
import dev.roomcast.spi.HistoryPage;
import dev.roomcast.spi.MessageDraft;
import dev.roomcast.spi.RoomMessage;
import dev.roomcast.spi.RoomNotice;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;
import redis.clients.jedis.CommandArguments;
import redis.clients.jedis.Connection;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisMovedDataException;

/**
 * One hub's attachment to a Redis Cluster: one link ({@link RedisNode} speaking sharded pub/sub)
 * per primary, each room served by the primary that owns its slot (a room's keys and channel share
 * the {@code {room}} hash tag, so they share a slot), and a topology thread that follows the slot
 * map.
 *
 * <p>Live traffic uses {@code SPUBLISH}/{@code SSUBSCRIBE}: a message is only sent within its
 * shard, and a link subscribes only the rooms this hub has members in.
 *
 * <p>Following the Cluster ({@code roomcast-redis-topo-<node>}): {@code CLUSTER SLOTS} is read
 * every 5 s, every 250 ms while a link is down, and at once when something says the map is stale: a
 * {@code MOVED}/{@code ASK}/{@code TRYAGAIN} reply (the op is routed again, in order behind a fresh
 * map, at most {@value #MAX_REDIRECTS} times), a server-side {@code SUNSUBSCRIBE} (a slot moved
 * away under a subscription), a redirected {@code SSUBSCRIBE}. When a room's slot has a new owner
 * the room moves: unsubscribed on the old link, subscribed (and confirmed) on the new one, its
 * rollback fence checked there, and what was published meanwhile read from history and handed to
 * the hub (whose sequencer drops what it already has). A new primary (a replica promoted after a
 * failover, a node added) gets a link; a link whose node owns no slot any more is closed.
 *
 * <p>Health is joined over the links ({@link HealthJoin}): a primary that dies is an outage until
 * its replica is promoted and its rooms are served again; the hub then catches every live room up
 * from history. Each link proves delivery with its own probes, on a channel in one of its server's
 * slots ({@link #probeLinks}): a link whose subscriber stays open but stops delivering is down.
 *
 * <p>Thread-safe. The room homes are guarded by {@code lock}, never held across network calls;
 * links are created and closed only on the topology thread.
 */
final class ClusterNode implements RedisPresenceNode {
  private static final Logger LOG = Logger.getLogger("dev.roomcast.redis");
  static final int MAX_REDIRECTS = 8;
  private static final long TICK_MILLIS = 50;
  private static final long HEALTHY_REFRESH_NANOS = TimeUnit.SECONDS.toNanos(5);
  private static final long DOWN_REFRESH_NANOS = TimeUnit.MILLISECONDS.toNanos(250);
  private static final int CATCH_UP_LIMIT = 10_000;

  private final RedisConfig config;
  private final String nodeId;
  private final BackplaneListener listener;
  private final Wire wire;
  private final Epochs epochs = new Epochs();
  private final Fences fences;
  private final HealthJoin health;
  private final RedisPresence presence;
  private final ScheduledThreadPoolExecutor topo;
  private final Rehoming rehoming = new Rehoming();

  private volatile SlotMap map; // null until the first successful look-up
  private final ConcurrentHashMap<String, RedisNode> links = new ConcurrentHashMap<>();
  private volatile List<String> knownNodes;
  private final AtomicBoolean refreshWanted = new AtomicBoolean();
  private volatile long lastRefresh;
  private volatile boolean closed;

  private final Object lock = new Object();
  private final Map<String, String> home = new HashMap<>(); // live room -> link; guarded by lock
  private final Set<String> unsettled = ConcurrentHashMap.newKeySet(); // dropped by the server

  private ClusterNode(RedisConfig config, String nodeId, BackplaneListener listener) {
    this.config = config;
    this.nodeId = nodeId;
    this.listener = listener;
    this.wire = new Wire(config.keyPrefix);
    this.presence = new RedisPresence(wire, nodeId, this::submitPresence);
    this.fences = new Fences(wire, config.ttlSeconds, epochs, this::isLive);
    this.health = new HealthJoin(listener);
    List<String> seeds = new ArrayList<>();
    for (RedisEndpoint e : config.clusterSeeds) {
      seeds.add(e.address());
    }
    this.knownNodes = List.copyOf(seeds);
    this.topo =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread t = new Thread(r, "roomcast-redis-topo-" + nodeId);
              t.setDaemon(true);
              return t;
            });
    this.topo.setRemoveOnCancelPolicy(true);
    this.topo.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
  }

  /**
   * Reads the slot map, opens a link per primary and waits for them (as long as the single mode
   * waits for its connection); then follows the Cluster on the topology thread. A Cluster that
   * cannot be reached yet leaves the node unhealthy and looking.
   */
  static ClusterNode start(RedisConfig config, String nodeId, BackplaneListener listener) {
    ClusterNode n = new ClusterNode(config, nodeId, listener);
    try {
      n.topo.submit(n::refresh).get(2 * n.firstUpMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      LOG.log(Level.WARNING, "Redis Cluster not reachable yet for node " + nodeId, e);
    }
    n.health.attach();
    n.topo.scheduleWithFixedDelay(n::tick, TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
    return n;
  }

  private long firstUpMillis() {
    return TimeUnit.NANOSECONDS.toMillis(RedisNode.firstUpWaitNanos(config));
  }

  // ---- BackplaneNode

  @Override
  public void subscribe(String room) {
    RedisNode link;
    synchronized (lock) {
      if (closed || home.containsKey(room)) {
        return;
      }
      String owner = ownerOf(room);
      home.put(room, owner == null ? "" : owner);
      link = owner == null ? null : links.get(owner);
    }
    if (link != null) {
      link.subscribe(room);
    } else {
      refreshWanted.set(true); // no owner known: the next map places it
    }
  }

  @Override
  public void unsubscribe(String room) {
    String at;
    synchronized (lock) {
      at = home.remove(room);
    }
    if (at == null) {
      return;
    }
    fences.forget(room);
    unsettled.remove(room);
    RedisNode link = links.get(at);
    if (link != null) {
      link.unsubscribe(room);
    }
  }

  @Override
  public CompletionStage<RoomMessage> publish(MessageDraft draft) {
    RedisNode link = linkFor(draft.room());
    return link != null ? link.publish(draft) : CompletableFuture.failedFuture(unavailable());
  }

  @Override
  public void publishNotice(RoomNotice notice) {
    RedisNode link = linkFor(notice.room());
    if (link != null) {
      link.publishNotice(notice);
    }
  }

  @Override
  public CompletionStage<HistoryPage> readHistory(
      String room, String epoch, long afterOffset, int limit) {
    RedisNode link = linkFor(room);
    return link != null
        ? link.readHistory(room, epoch, afterOffset, limit)
        : CompletableFuture.failedFuture(unavailable());
  }

  @Override
  public CompletionStage<StreamPosition> position(String room) {
    RedisNode link = linkFor(room);
    return link != null ? link.position(room) : CompletableFuture.failedFuture(unavailable());
  }

  @Override
  public boolean isHealthy() {
    return !closed && health.isHealthy();
  }

  @Override
  public RedisPresence presenceStore() {
    return presence;
  }

  /** Routes a presence command to the link owning the room's slot. */
  private BackplaneUnavailableException submitPresence(CommandChannel.Op op) {
    RedisNode link = linkFor(op.room());
    return link != null ? link.submitOp(op) : unavailable();
  }

  @Override
  public void close() {
    synchronized (lock) {
      if (closed) {
        return;
      }
      closed = true;
    }
    topo.shutdownNow();
    presence.close();
    List<RedisNode> all = new ArrayList<>(links.values());
    for (RedisNode n : all) {
      n.beginClose();
    }
    long deadline = System.nanoTime() + RedisNode.CLOSE_WAIT_NANOS;
    for (RedisNode n : all) {
      n.awaitClosed(deadline);
    }
    try {
      topo.awaitTermination(Subscriber.remainingMillis(deadline), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public String toString() {
    SlotMap m = map;
    return "ClusterNode{"
        + nodeId
        + ", primaries "
        + (m == null ? "unknown" : m.primaries())
        + ", down "
        + health.downLinks()
        + "}";
  }

  private boolean isLive(String room) {
    synchronized (lock) {
      return home.containsKey(room);
    }
  }

  /** Which primary serves a room now, per the last map; for tests and logs. */
  String ownerOf(String room) {
    SlotMap m = map;
    return m == null ? null : m.owner(SlotMap.slotOf(wire.channel(room)));
  }

  private RedisNode linkFor(String room) {
    String owner = ownerOf(room);
    return owner == null ? null : links.get(owner);
  }

  private BackplaneUnavailableException unavailable() {
    if (closed) {
      return NodeHealth.closedException();
    }
    return new BackplaneUnavailableException(
        map == null
            ? "Redis Cluster unreachable; reconnecting"
            : "Redis Cluster has no reachable node for this room's slot; reconnecting");
  }

  // ---- the topology thread

  private void tick() {
    long now = System.nanoTime();
    long since = now - lastRefresh;
    if (refreshWanted.getAndSet(false)
        || since > HEALTHY_REFRESH_NANOS
        || (!health.isHealthy() && since > DOWN_REFRESH_NANOS)) {
      refresh();
    }
  }

  /** Reads the slot map and brings links and room homes in line with it. Topology thread. */
  private void refresh() {
    if (closed) {
      return;
    }
    lastRefresh = System.nanoTime();
    SlotMap m = fetch();
    if (m == null) {
      return;
    }
    boolean initial = map == null;
    List<String> known = new ArrayList<>(m.nodes());
    for (RedisEndpoint e : config.clusterSeeds) {
      if (!known.contains(e.address())) {
        known.add(e.address());
      }
    }
    knownNodes = List.copyOf(known);
    openLinks(m, initial);
    if (initial) {
      map = m;
    }
    rehome(m);
    // Only now do publishes follow the new map: a moved room's fence check is queued on its new
    // link ahead of them (a replica promoted without the tail must not see its offsets reused).
    map = m;
    closeStaleLinks(m);
    probeLinks(m);
  }

  /**
   * Names each link's probe channel: one in a slot its server owns per this map, so the probe's
   * SPUBLISH and the link's SSUBSCRIBE both land on that server. The same channel as long as the
   * server keeps the slot; links ignore a channel they already probe on. Topology thread.
   */
  private void probeLinks(SlotMap m) {
    for (Map.Entry<String, RedisNode> e : links.entrySet()) {
      String channel = probeChannelFor(m, e.getKey());
      if (channel != null) {
        e.getValue().probeOn(channel);
      }
    }
  }

  /** The first probe channel whose slot {@code address} owns, or {@code null} if it owns none. */
  private String probeChannelFor(SlotMap m, String address) {
    // a server owning k of the 16384 slots is hit after about 16384 / k tries
    for (int tag = 0; tag < 4 * SlotMap.SLOTS * 16; tag++) {
      String channel = wire.probeChannel(nodeId, Integer.toString(tag, 36));
      if (address.equals(m.owner(SlotMap.slotOf(channel)))) {
        return channel;
      }
    }
    return null;
  }

  /** The first node that answers {@code CLUSTER SLOTS}: known nodes first, then the seeds. */
  private SlotMap fetch() {
    Set<String> candidates = new LinkedHashSet<>();
    SlotMap old = map;
    if (old != null) {
      candidates.addAll(old.primaries());
    }
    candidates.addAll(knownNodes);
    Exception last = null;
    for (String address : candidates) {
      if (closed) {
        return null;
      }
      RedisEndpoint at = endpointOf(address);
      Connection c = null;
      try {
        c = new Connections(config, at, nodeId).openCommand();
        c.sendCommand(new CommandArguments(Protocol.Command.CLUSTER).add("SLOTS"));
        Object reply = c.getOne();
        if (reply instanceof JedisDataException) {
          throw (JedisDataException) reply;
        }
        SlotMap m = SlotMap.parse((List<?>) reply, at.host);
        if (!m.primaries().isEmpty()) {
          return m;
        }
      } catch (RuntimeException e) {
        last = e;
      } finally {
        if (c != null) {
          Connections.forceDisconnect(c);
        }
      }
    }
    LOG.fine("no Redis Cluster node answered CLUSTER SLOTS: " + last);
    return null;
  }

  private RedisEndpoint endpointOf(String address) {
    return config.endpoint.at(SlotMap.hostOf(address), SlotMap.portOf(address));
  }

  /** A link for every primary that has none; waited for together. Topology thread. */
  private void openLinks(SlotMap m, boolean initial) {
    List<String> fresh = new ArrayList<>();
    for (String address : m.primaries()) {
      if (links.containsKey(address)) {
        continue;
      }
      RedisNode link =
          RedisNode.launch(
              config,
              endpointOf(address),
              nodeId,
              new RedisNode.Options(
                  "roomcast-redis-" + address.replace(':', '_') + "-", fences, epochs, rehoming),
              new ShardedNode.LinkListener(listener, health, address));
      links.put(address, link);
      fresh.add(address);
    }
    long deadline = System.nanoTime() + RedisNode.firstUpWaitNanos(config);
    for (String address : fresh) {
      RedisNode link = links.get(address);
      link.awaitFirstUp(deadline);
      health.add(address, link::isHealthy);
      LOG.log(
          initial ? Level.FINE : Level.INFO,
          "Redis Cluster primary " + address + " now serves slots for node " + nodeId);
      if (closed) {
        link.close();
      }
    }
  }

  /** Moves every live room whose slot has a new owner. Topology thread. */
  private void rehome(SlotMap m) {
    List<String[]> moves = new ArrayList<>();
    synchronized (lock) {
      for (Map.Entry<String, String> e : home.entrySet()) {
        String owner = m.owner(SlotMap.slotOf(wire.channel(e.getKey())));
        if (owner != null && !owner.equals(e.getValue())) {
          moves.add(new String[] {e.getKey(), e.getValue(), owner});
          e.setValue(owner);
        }
      }
    }
    for (String[] move : moves) {
      moveRoom(move[0], move[1], move[2]);
    }
    for (String room : List.copyOf(unsettled)) {
      String at;
      synchronized (lock) {
        at = home.get(room);
      }
      unsettled.remove(room);
      RedisNode link = at == null ? null : links.get(at);
      if (link != null && at.equals(m.owner(SlotMap.slotOf(wire.channel(room))))) {
        link.resubscribe(room); // dropped by the server, but its slot is here (again)
        catchUp(room, link);
      }
    }
  }

  private void moveRoom(String room, String from, String to) {
    RedisNode old = links.get(from);
    RedisNode next = links.get(to);
    if (old != null) {
      old.unsubscribe(room);
    }
    if (next == null) {
      return;
    }
    LOG.fine("room " + room + " moves from " + from + " to " + to);
    next.subscribe(room); // waits (briefly) for the SSUBSCRIBE to be confirmed
    for (CommandChannel.Op check : fences.checks(Set.of(room))) {
      next.enqueue(check);
    }
    catchUp(room, next);
  }

  /**
   * Hands the hub what a room's history has after the highest offset this node saw, in case it was
   * published while the room's subscription moved. The hub drops what it already has.
   */
  private void catchUp(String room, RedisNode link) {
    StreamPosition seen = fences.seen(room);
    if (seen == null) {
      return;
    }
    link.readHistory(room, seen.epoch(), seen.offset(), CATCH_UP_LIMIT)
        .whenComplete(
            (page, error) -> {
              if (page == null || !page.complete()) {
                return; // the hub's own resync, or its sequencer, deals with an epoch change
              }
              for (RoomMessage msg : page.messages()) {
                if (!msg.originNode().equals(nodeId) && links.containsKey(currentHome(room))) {
                  fences.noteSeen(
                      room,
                      msg.epoch(),
                      msg.offset(),
                      Wire.header(msg.originNode(), msg.clientId(), msg.timestamp()),
                      msg.contentJson());
                  try {
                    listener.onMessage(msg);
                  } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "listener threw on a message for room " + room, e);
                  }
                }
              }
            });
  }

  private String currentHome(String room) {
    synchronized (lock) {
      String at = home.get(room);
      return at == null ? "" : at;
    }
  }

  /** Closes links whose node owns no slot any more (a failed primary, a node emptied). */
  private void closeStaleLinks(SlotMap m) {
    for (String address : List.copyOf(links.keySet())) {
      if (!m.primaries().contains(address)) {
        RedisNode link = links.remove(address);
        health.remove(address);
        LOG.info("Redis Cluster node " + address + " serves no slot now; closing its link");
        link.close();
      }
    }
  }

  private void schedule(Runnable task, long delayMillis) {
    try {
      topo.schedule(task, delayMillis, TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      // closed
    }
  }

  /** The links' way back to this node. */
  private final class Rehoming implements RedisNode.Rehoming {
    @Override
    public boolean redirected(CommandChannel.Op op, JedisDataException reply) {
      String room = op.room();
      if (closed || room == null || ++op.redirects > MAX_REDIRECTS) {
        return false;
      }
      // MOVED: the map is stale, route again after a fresh look. ASK/TRYAGAIN: the slot is
      // being migrated right now; try again shortly, by when it has settled or moved.
      long delay = reply instanceof JedisMovedDataException ? 0 : 20L * op.redirects;
      refreshWanted.set(true);
      schedule(
          () -> {
            if (refreshWanted.getAndSet(false)) {
              refresh();
            }
            RedisNode link = linkFor(room);
            if (link == null) {
              op.failQuietly(unavailable());
            } else {
              link.enqueue(op);
            }
          },
          delay);
      return true;
    }

    @Override
    public void movedAway(String room) {
      unsettled.add(room);
      refreshWanted.set(true);
    }

    @Override
    public void refreshSoon() {
      refreshWanted.set(true);
    }
  }
}
