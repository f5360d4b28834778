package dev.roomcast.redis;

import dev.roomcast.BackplaneUnavailableException;
import dev.roomcast.StreamPosition;
import dev.roomcast.spi.BackplaneListener;
import dev.roomcast.spi.BackplaneNode;
import dev.roomcast.spi.HistoryPage;
import dev.roomcast.spi.MessageDraft;
import dev.roomcast.spi.RoomMessage;
import dev.roomcast.spi.RoomNotice;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import redis.clients.jedis.Connection;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * One hub's attachment to one Redis endpoint: the {@link BackplaneNode} the hub calls, composed of
 * a {@link CommandChannel} (publishes and reads, pipelined by one thread), a {@link Subscriber}
 * (live traffic, subscriptions, keep-alive, reconnect), {@link NodeHealth} (once-only lost and
 * restored), {@link Fences} (the rollback fence) and {@link RoomCommands} (what is sent and how
 * replies are read).
 *
 * <p>This class only wires them together and fails fast: while the node is down, publishes and
 * reads fail at once with {@link BackplaneUnavailableException}. The listener hears {@code onLost}
 * once per outage and {@code onRestored} when every live room is subscribed again (and the scripts
 * are loaded and the fences ran).
 *
 * <p>Thread-safe: every method may be called from any thread; none blocks on the network, except
 * {@link #subscribe}, which waits briefly for Redis to confirm (see {@link Subscriber#subscribe}).
 */
final class RedisNode implements RedisPresenceNode {
  private static final Logger LOG = Logger.getLogger("dev.roomcast.redis");

  private final RedisConfig config;
  private final String nodeId;
  private final BackplaneListener listener;
  private final Connections connections;
  private final NodeHealth health;
  private final Fences fences;
  private final RoomCommands ops;
  private final CommandChannel commands;
  private final Subscriber subscriber;

  private final RedisEndpoint endpoint;
  private final Rehoming rehoming;
  private final Wire wire;

  /** Made on first use: a Cluster's or shards' links never serve presence themselves. */
  private RedisPresence presence; // guarded by this

  /**
   * What a Redis Cluster node adds to one of its links: following slots that moved. Called on the
   * link's threads; implementations hand the work to their own thread.
   */
  interface Rehoming {
    /**
     * Redis answered MOVED, ASK or TRYAGAIN to a room command: take it over (route it again), or
     * return {@code false} to fail it with that error.
     */
    boolean redirected(CommandChannel.Op op, JedisDataException reply);

    /** The server dropped a room's subscription: its slot moved to another node. */
    void movedAway(String room);

    /** Something says the slot map is out of date. */
    void refreshSoon();
  }

  /**
   * How a link is set up: thread names, and the Cluster node's shared fences, epochs and rehoming
   * ({@code null}: the node's own fences and epochs, plain pub/sub).
   */
  record Options(String threadPrefix, Fences fences, Epochs epochs, Rehoming rehoming) {}

  private RedisNode(
      RedisConfig config,
      RedisEndpoint endpoint,
      String nodeId,
      Options options,
      BackplaneListener listener) {
    this.config = config;
    this.endpoint = endpoint;
    this.rehoming = options.rehoming();
    this.nodeId = nodeId;
    this.listener = listener;
    Wire wire = new Wire(config.keyPrefix);
    this.wire = wire;
    Epochs epochs = options.epochs() != null ? options.epochs() : new Epochs();
    boolean sharded = rehoming != null;
    this.connections = new Connections(config, endpoint, nodeId);
    this.health = new NodeHealth("at " + endpoint + " (node " + nodeId + ")", listener);
    this.fences =
        options.fences() != null
            ? options.fences()
            : new Fences(wire, config.ttlSeconds, epochs, this::isLive);
    this.ops =
        new RoomCommands(wire, config.historyLength, config.ttlSeconds, epochs, fences, sharded);
    this.commands =
        new CommandChannel(
            new CommandLink(),
            config.maxQueuedCommands,
            config.maxBatch,
            options.threadPrefix() + "cmd-" + nodeId);
    this.subscriber =
        new Subscriber(
            config,
            nodeId,
            options.threadPrefix(),
            sharded,
            connections,
            wire,
            health,
            new SubscriberHost());
  }

  /**
   * Starts the threads and waits (up to the connect timeout plus the socket timeout) for the first
   * connection, so a hub built right after can publish at once. When Redis is not reachable yet the
   * node is returned unhealthy and keeps trying; the listener hears {@code onRestored} once it
   * connects.
   */
  static RedisNode start(RedisConfig config, String nodeId, BackplaneListener listener) {
    RedisNode n = launch(config, config.endpoint, nodeId, standalone(""), listener);
    n.awaitFirstUp(System.nanoTime() + firstUpWaitNanos(config));
    return n;
  }

  /**
   * Starts a node's threads without waiting for it to connect; {@link #awaitFirstUp} must follow,
   * and until it returned the listener hears nothing. For the sharded and Cluster modes, which
   * start one node per Redis and wait for them together.
   *
   * @param options thread names, and whether fences and epochs are shared with other links
   */
  static RedisNode launch(
      RedisConfig config,
      RedisEndpoint endpoint,
      String nodeId,
      Options options,
      BackplaneListener listener) {
    RedisNode n = new RedisNode(config, endpoint, nodeId, options, listener);
    n.commands.start();
    n.subscriber.start();
    return n;
  }

  /**
   * A node with its own fences and epochs, threads named {@code roomcast-redis-<part><role>-<id>}.
   */
  static Options standalone(String part) {
    return new Options("roomcast-redis-" + part, null, null, null);
  }

  /**
   * Subscribes a live room again on the current connection (the server dropped it: its slot moved
   * away and maybe back).
   */
  void resubscribe(String room) {
    subscriber.resync(room);
  }

  /** Cluster links: probe delivery on this channel, in a slot of this link's server. */
  void probeOn(String channel) {
    subscriber.probeOn(channel);
  }

  /**
   * Queues a command of the node's making (a fence check, a re-routed op), failing it at once when
   * the node is down.
   */
  void enqueue(CommandChannel.Op op) {
    BackplaneUnavailableException refused = submit(op);
    if (refused != null) {
      op.failQuietly(refused);
    }
  }

  /** How long {@link #start} waits for the first connection. */
  static long firstUpWaitNanos(RedisConfig config) {
    return TimeUnit.MILLISECONDS.toNanos(
        config.connectTimeout.toMillis() + config.socketTimeout.toMillis());
  }

  /**
   * Waits until the node is up or the deadline passed, then lets it report to the listener.
   *
   * @return whether it is up
   */
  boolean awaitFirstUp(long deadlineNanos) {
    boolean up =
        health.awaitFirstUp(
            Math.max(0, TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime())));
    health.attach();
    if (!up) {
      Throwable last = health.lastFailure();
      LOG.warning(
          "Redis at "
              + endpoint
              + " not reachable yet for node "
              + nodeId
              + "; will keep trying"
              + (last != null ? " (" + last + ")" : ""));
    }
    return up;
  }

  private boolean isLive(String room) {
    return subscriber.serves(room);
  }

  /** The endpoint this node talks to. */
  RedisEndpoint endpoint() {
    return endpoint;
  }

  // ---- BackplaneNode

  @Override
  public void subscribe(String room) {
    // never wait on a thread that may be the one to confirm
    Thread t = Thread.currentThread();
    subscriber.subscribe(room, !subscriber.isOwnThread(t) && !commands.isOwnThread(t));
  }

  @Override
  public void unsubscribe(String room) {
    // a Cluster link shares the fences with the other links: the room may just be moving there
    if (subscriber.unsubscribe(room) && rehoming == null) {
      fences.forget(room);
    }
  }

  @Override
  public CompletionStage<RoomMessage> publish(MessageDraft draft) {
    RoomCommands.Publish op = ops.publish(draft);
    BackplaneUnavailableException refused = submit(op);
    return refused != null ? CompletableFuture.failedFuture(refused) : op.future;
  }

  @Override
  public void publishNotice(RoomNotice notice) {
    submit(ops.notice(notice)); // best effort: dropped when down or the queue is full
  }

  @Override
  public CompletionStage<HistoryPage> readHistory(
      String room, String epoch, long afterOffset, int limit) {
    RoomCommands.Read op = ops.history(room, epoch, afterOffset, limit);
    BackplaneUnavailableException refused = submit(op);
    return refused != null ? CompletableFuture.failedFuture(refused) : op.page;
  }

  @Override
  public CompletionStage<StreamPosition> position(String room) {
    RoomCommands.Read op = ops.position(room);
    BackplaneUnavailableException refused = submit(op);
    return refused != null ? CompletableFuture.failedFuture(refused) : op.position;
  }

  @Override
  public boolean isHealthy() {
    return health.isHealthy();
  }

  @Override
  public RedisPresence presenceStore() {
    return presence();
  }

  private synchronized RedisPresence presence() {
    if (presence == null) {
      presence = new RedisPresence(wire, nodeId, this::submitOp);
    }
    return presence;
  }

  /** Queues a command on this link, or says why it must fail at once (Cluster and shards). */
  BackplaneUnavailableException submitOp(CommandChannel.Op op) {
    return submit(op);
  }

  /** How long {@link #close} waits for the node's threads. */
  static final long CLOSE_WAIT_NANOS = TimeUnit.SECONDS.toNanos(2);

  @Override
  public void close() {
    if (beginClose()) {
      awaitClosed(System.nanoTime() + CLOSE_WAIT_NANOS);
    }
  }

  /**
   * Marks the node closed and drops its connections; never blocks.
   *
   * @return {@code false} when it was closed already
   */
  boolean beginClose() {
    if (!health.close()) {
      return false;
    }
    synchronized (this) {
      if (presence != null) {
        presence.close();
      }
    }
    commands.shutdown();
    subscriber.beginClose();
    return true;
  }

  /** Waits for the node's threads to end, until the deadline at most. */
  void awaitClosed(long deadlineNanos) {
    try {
      subscriber.awaitClosed(deadlineNanos);
      commands.join(Subscriber.remainingMillis(deadlineNanos));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (subscriber.isAlive() || commands.isAlive()) {
      LOG.fine("Redis node " + nodeId + " threads still finishing a blocking call after close");
    }
  }

  @Override
  public String toString() {
    return "RedisNode{" + nodeId + " @ " + endpoint + ", " + health + "}";
  }

  /** Queues an op, or says why it must fail at once. */
  private BackplaneUnavailableException submit(CommandChannel.Op op) {
    BackplaneUnavailableException refused = health.refusal();
    if (refused != null) {
      return refused;
    }
    if (!commands.submit(op)) {
      return new BackplaneUnavailableException(
          "Redis is not keeping up: " + config.maxQueuedCommands + " commands already waiting");
    }
    return null;
  }

  // ---- what the parts need from each other

  private final class CommandLink implements CommandChannel.Link {
    @Override
    public Connection open() {
      return connections.openCommand();
    }

    @Override
    public boolean redirected(CommandChannel.Op op, JedisDataException reply) {
      return rehoming != null && rehoming.redirected(op, reply);
    }

    @Override
    public BackplaneUnavailableException unavailable() {
      return health.unavailable();
    }

    @Override
    public void failed(Throwable cause) {
      subscriber.failed(null, cause);
    }
  }

  private final class SubscriberHost implements Subscriber.Host {
    @Override
    public CompletableFuture<Void> prepare(Set<String> liveRooms) {
      return commands.restart(fences.checks(liveRooms));
    }

    @Override
    public void dropCommands() {
      commands.connectionLost();
    }

    @Override
    public boolean submit(CommandChannel.Op op) {
      return health.refusal() == null && commands.submit(op);
    }

    @Override
    public void movedAway(String room) {
      if (rehoming != null) {
        rehoming.movedAway(room);
      }
    }

    @Override
    public void redirected() {
      if (rehoming != null) {
        rehoming.refreshSoon();
      }
    }

    @Override
    public void deliver(String room, String payload) {
      Wire.Payload p;
      try {
        p = Wire.parse(payload);
      } catch (RuntimeException e) {
        LOG.warning("ignoring a malformed payload in room " + room + ": " + e.getMessage());
        return;
      }
      if (p.origin().equals(nodeId)) {
        return; // our own echo: the hub delivered it locally already
      }
      try {
        if (p instanceof Wire.MessagePayload) {
          Wire.MessagePayload m = (Wire.MessagePayload) p;
          fences.noteSeen(
              room,
              m.epoch(),
              m.offset(),
              Wire.header(m.origin(), m.clientId(), m.timestamp()),
              m.content());
          listener.onMessage(m.toMessage(room));
        } else {
          listener.onNotice(((Wire.NoticePayload) p).toNotice(room));
        }
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "listener threw on a message for room " + room, e);
      }
    }
  }
}
