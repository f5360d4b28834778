package dev.roomcast.redis;

import dev.roomcast.BackplaneUnavailableException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Level;
import java.util.logging.Logger;
import redis.clients.jedis.JedisPubSub;

/**
 * A node's subscriber connection and the rooms it serves: which rooms the hub subscribed, the
 * thread that reads the connection, the thread that writes subscription changes and watches the
 * connection, and the reconnect loop.
 *
 * <p>Threads (daemons, both stopped by {@link #close}):
 *
 * <ul>
 *   <li>{@code roomcast-redis-sub-<node>} connects, asks the {@link Host} to {@linkplain
 *       Host#prepare prepare} (the command channel reconnects and runs the fences), subscribes the
 *       control channel plus every live room in one SUBSCRIBE, then blocks reading messages and
 *       hands them to the host. When the connection fails it reports the loss, waits per the
 *       backoff policy and starts over.
 *   <li>{@code roomcast-redis-ctl-<node>} sends SUBSCRIBE/UNSUBSCRIBE for rooms in the order the
 *       hub asked, reconciles rooms added or removed while a subscription was being set up, and
 *       PINGs the connection, declaring it lost when a PING is not answered and nothing else is
 *       read within the socket timeout (a half-open connection never fails a read by itself), and
 *       sends the delivery probes ({@link DeliveryProbe}).
 * </ul>
 *
 * <p>The node is reported up (through {@link NodeHealth}) once the initial SUBSCRIBE is confirmed
 * and the reconcile step ran, and down by whichever thread sees a failure first.
 *
 * <p>Thread-safety: the room set is concurrent; what was sent on a connection and which connection
 * is current are guarded by {@code lock}, which is never held across a blocking read (writes of a
 * SUBSCRIBE are small and buffered by the socket).
 */
final class Subscriber {
  private static final Logger LOG = Logger.getLogger("dev.roomcast.redis");

  /** What the subscriber needs from its node. */
  interface Host {
    /**
     * Before each (re)subscription, on the subscriber thread: reconnect the command channel and run
     * the fence checks for these live rooms.
     */
    CompletableFuture<Void> prepare(Set<String> liveRooms);

    /** The node lost Redis: drop the command connection too. Any of the node's threads. */
    void dropCommands();

    /** A payload on the channel of a room this node serves. Subscriber thread. */
    void deliver(String room, String payload);

    /**
     * Sharded pub/sub only: the server dropped a room's subscription because its slot moved to
     * another node. Subscriber thread.
     */
    default void movedAway(String room) {}

    /** Sharded pub/sub only: a SSUBSCRIBE was redirected; the slot map is out of date. */
    default void redirected() {}

    /** Queues a command of the subscriber's (a delivery probe); {@code false} when refused. */
    boolean submit(CommandChannel.Op op);
  }

  private final RedisConfig config;
  private final String nodeId;
  private final Connections connections;
  private final Wire wire;
  private final NodeHealth health;
  private final Host host;
  private final String controlChannel;
  private final boolean sharded;

  private final Thread thread;
  private final ScheduledThreadPoolExecutor control;
  private volatile Thread controlThread;
  private final CountDownLatch closing = new CountDownLatch(1);

  /** Rooms the hub subscribed, in the state the hub last asked for. */
  private final Set<String> rooms = ConcurrentHashMap.newKeySet();

  /** Hub threads waiting for a SUBSCRIBE to be confirmed, by room. */
  private final ConcurrentHashMap<String, CompletableFuture<Void>> pendingSubscribes =
      new ConcurrentHashMap<>();

  private final Object lock = new Object();
  private volatile Subscription current; // written under lock

  /**
   * Where this node's delivery probes go: the control channel in plain pub/sub; in sharded pub/sub
   * a channel in a slot this link's server owns, set by the Cluster node ({@code null} until then,
   * and no probes).
   */
  private volatile String probeChannel;

  Subscriber(
      RedisConfig config,
      String nodeId,
      String threadPrefix,
      boolean sharded,
      Connections connections,
      Wire wire,
      NodeHealth health,
      Host host) {
    this.sharded = sharded;
    this.config = config;
    this.nodeId = nodeId;
    this.connections = connections;
    this.wire = wire;
    this.health = health;
    this.host = host;
    this.controlChannel = wire.controlChannel(nodeId);
    this.probeChannel = sharded ? null : controlChannel;
    this.thread = new Thread(this::run, threadPrefix + "sub-" + nodeId);
    this.thread.setDaemon(true);
    this.control =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread t = new Thread(r, threadPrefix + "ctl-" + nodeId);
              t.setDaemon(true);
              controlThread = t;
              return t;
            });
    this.control.setRemoveOnCancelPolicy(true);
    this.control.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
  }

  void start() {
    thread.start();
    long tick = config.watchdogTickMillis();
    control.scheduleWithFixedDelay(this::keepAlive, tick, tick, TimeUnit.MILLISECONDS);
  }

  /** The live rooms (a view). */
  Set<String> rooms() {
    return Collections.unmodifiableSet(rooms);
  }

  boolean serves(String room) {
    return rooms.contains(room);
  }

  boolean isOwnThread(Thread t) {
    return t == thread || t == controlThread;
  }

  /**
   * Adds a live room and, when the node is up and the caller is not one of the node's threads,
   * waits (at most {@link RedisConfig#subscribeWaitMillis}) until Redis confirmed the SUBSCRIBE, so
   * a message published after the first member's join cannot slip past the new subscription. On
   * timeout the subscription still completes later.
   */
  void subscribe(String room, boolean mayWait) {
    if (health.isClosed() || !rooms.add(room)) {
      return;
    }
    CompletableFuture<Void> confirmed = null;
    if (mayWait && health.isHealthy()) {
      confirmed = new CompletableFuture<>();
      CompletableFuture<Void> older = pendingSubscribes.put(room, confirmed);
      if (older != null) {
        older.complete(null);
      }
    }
    if (!runOnControl(() -> syncRoom(room)) || confirmed == null) {
      return;
    }
    try {
      confirmed.get(config.subscribeWaitMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      LOG.fine("SUBSCRIBE to room " + room + " not confirmed yet");
    } finally {
      pendingSubscribes.remove(room, confirmed);
    }
  }

  /**
   * Removes a live room; the UNSUBSCRIBE follows on the control thread.
   *
   * @return whether the room was live
   */
  boolean unsubscribe(String room) {
    if (!rooms.remove(room)) {
      return false;
    }
    CompletableFuture<Void> pending = pendingSubscribes.remove(room);
    if (pending != null) {
      pending.complete(null);
    }
    runOnControl(() -> syncRoom(room));
    return true;
  }

  /** Brings a room's subscription in line with the room set again, on the control thread. */
  void resync(String room) {
    runOnControl(() -> syncRoom(room));
  }

  /**
   * Sharded pub/sub: probes delivery on this channel from now on (it must hash to a slot the link's
   * server owns). Idempotent; the SSUBSCRIBE follows on the control thread.
   */
  void probeOn(String channel) {
    probeChannel = channel;
    runOnControl(this::syncProbe);
  }

  /** Drops the connection and tells both threads to stop; never blocks. */
  void beginClose() {
    closing.countDown();
    Subscription s = current;
    if (s != null) {
      s.disconnect();
    }
    control.shutdownNow();
    completePendingSubscribes();
  }

  /** Waits until both threads ended, or {@code deadlineNanos}. */
  void awaitClosed(long deadlineNanos) throws InterruptedException {
    thread.join(remainingMillis(deadlineNanos));
    control.awaitTermination(remainingMillis(deadlineNanos), TimeUnit.MILLISECONDS);
  }

  boolean isAlive() {
    return thread.isAlive();
  }

  static long remainingMillis(long deadlineNanos) {
    return Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime()));
  }

  // ---- failure

  /**
   * A failure seen by any thread. {@code source} is the subscription it concerns, or {@code null}
   * for the command connection.
   */
  void failed(Subscription source, Throwable cause) {
    if (source != null && source != current) {
      return; // about a connection already replaced
    }
    boolean report = health.markLost(cause);
    // Command connection first: the subscriber thread may only restart it after its own
    // connection is gone, which happens next.
    host.dropCommands();
    Subscription s = current;
    if (s != null && (source == null || s == source)) {
      s.disconnect();
    }
    completePendingSubscribes();
    health.reportLost(report, cause);
  }

  private void completePendingSubscribes() {
    for (String room : List.copyOf(pendingSubscribes.keySet())) {
      CompletableFuture<Void> f = pendingSubscribes.remove(room);
      if (f != null) {
        f.complete(null);
      }
    }
  }

  // ---- the subscriber thread

  private void run() {
    int failures = 0;
    while (!health.isClosed()) {
      Subscription s = null;
      Throwable cause;
      try {
        host.prepare(rooms).get(config.restartWaitMillis(), TimeUnit.MILLISECONDS);
        PubSubConnection conn = connections.openSubscriber();
        s = new Subscription(conn);
        String[] initial;
        synchronized (lock) {
          if (health.isClosed()) {
            Connections.forceDisconnect(conn);
            break;
          }
          List<String> channels = new ArrayList<>(rooms.size() + 1);
          // Plain pub/sub: the control channel keeps the subscription open (and JedisPubSub
          // reading) while no room is live, and carries the probes. Sharded: the probe channel,
          // in a slot of this server's (a cluster node refuses a foreign slot's channel).
          String probeAt = probeChannel;
          if (probeAt != null) {
            channels.add(probeAt);
            s.probeSent = probeAt;
          }
          for (String room : rooms) {
            s.sent.add(room);
            channels.add(wire.channel(room));
          }
          initial = channels.toArray(new String[0]);
          s.expected = initial.length;
          current = s;
        }
        s.run(initial); // blocks until the connection fails or is closed
        cause = new BackplaneUnavailableException("Redis ended the subscription");
      } catch (ExecutionException e) {
        cause = e.getCause();
      } catch (TimeoutException e) {
        cause = new BackplaneUnavailableException("Redis did not answer in time", e);
      } catch (InterruptedException e) {
        cause = e; // only close() interrupts; the loop condition ends it
      } catch (RuntimeException e) {
        cause = e;
      }
      if (health.isClosed()) {
        break;
      }
      boolean wasUp = s != null && s.restored;
      failed(s, cause);
      synchronized (lock) {
        if (current == s) {
          current = null;
        }
      }
      if (s != null) {
        s.disconnect();
      }
      failures = wasUp ? 1 : failures + 1;
      OptionalLong delay = config.backoff.delayMillis(failures);
      if (delay.isEmpty()) {
        health.gaveUp();
        LOG.severe(
            "Redis at "
                + connections.endpoint()
                + " unreachable after "
                + (failures - 1)
                + " attempts; node "
                + nodeId
                + " gives up (backoff policy)");
        break;
      }
      if (failures == 1 || LOG.isLoggable(Level.FINE)) {
        LOG.log(
            failures == 1 ? Level.INFO : Level.FINE,
            "reconnecting to Redis at "
                + connections.endpoint()
                + " in "
                + delay.getAsLong()
                + " ms");
      }
      try {
        if (closing.await(delay.getAsLong(), TimeUnit.MILLISECONDS)) {
          break;
        }
      } catch (InterruptedException e) {
        // close() interrupts only after closing the health
      }
    }
  }

  // ---- the control thread

  private boolean runOnControl(Runnable task) {
    try {
      control.execute(task);
      return true;
    } catch (RejectedExecutionException e) {
      return false; // closed
    }
  }

  /** Brings one room's subscription in line with what the hub asked last. Control thread. */
  private void syncRoom(String room) {
    Subscription s = current;
    if (s == null || !s.ready) {
      return; // the next (re)subscription, or reconcile, includes it
    }
    try {
      synchronized (lock) {
        if (s != current) {
          return;
        }
        boolean want = rooms.contains(room);
        boolean has = s.sent.contains(room);
        if (want && !has) {
          s.sent.add(room);
          s.subscribe(wire.channel(room));
        } else if (!want && has) {
          s.sent.remove(room);
          s.unsubscribe(wire.channel(room));
        } else if (want) {
          CompletableFuture<Void> pending = pendingSubscribes.get(room);
          if (pending != null) {
            pending.complete(null);
          }
        }
      }
    } catch (RuntimeException e) {
      failed(s, e);
    }
  }

  /**
   * After the initial SUBSCRIBE is confirmed: catch up with rooms the hub added or removed
   * meanwhile, then report the node up. Control thread.
   */
  private void reconcile(Subscription s) {
    try {
      synchronized (lock) {
        if (s != current) {
          return;
        }
        List<String> add = new ArrayList<>();
        List<String> remove = new ArrayList<>();
        for (String room : rooms) {
          if (!s.sent.contains(room)) {
            add.add(room);
          }
        }
        for (String room : s.sent) {
          if (!rooms.contains(room)) {
            remove.add(room);
          }
        }
        s.sent.addAll(add);
        s.sent.removeAll(remove);
        if (!add.isEmpty()) {
          s.subscribe(add.stream().map(wire::channel).toArray(String[]::new));
        }
        if (!remove.isEmpty()) {
          s.unsubscribe(remove.stream().map(wire::channel).toArray(String[]::new));
        }
      }
    } catch (RuntimeException e) {
      failed(s, e);
      return;
    }
    syncProbe(); // the Cluster may have named another probe channel while this one connected
    if (health.markUp(() -> current == s, rooms.size())) {
      s.restored = true;
    }
  }

  /** Brings the probe channel's subscription in line with {@link #probeChannel}. Control thread. */
  private void syncProbe() {
    Subscription s = current;
    if (s == null || !s.ready) {
      return; // the next (re)subscription includes it
    }
    try {
      synchronized (lock) {
        String want = probeChannel;
        if (s != current || Objects.equals(want, s.probeSent)) {
          return;
        }
        if (s.probeSent != null) {
          s.unsubscribe(s.probeSent);
        }
        s.resetProbe(want);
        if (want != null) {
          s.subscribe(want);
        }
      }
    } catch (RuntimeException e) {
      failed(s, e);
    }
  }

  /** PINGs the subscriber connection and enforces the PONG deadline. Control thread. */
  private void keepAlive() {
    Subscription s = current;
    if (s == null || health.isClosed()) {
      return;
    }
    long now = System.nanoTime();
    long socketTimeoutNanos = config.socketTimeoutNanos();
    if (!s.ready) {
      // Jedis reads a subscription with no timeout: a server that stalls before confirming the
      // initial SUBSCRIBE would hold the subscriber thread forever.
      if (now - s.createdAt > 2 * socketTimeoutNanos) {
        failed(
            s,
            new BackplaneUnavailableException(
                "Redis did not confirm SUBSCRIBE within "
                    + 2 * config.socketTimeout.toMillis()
                    + " ms"));
      }
      return;
    }
    DeliveryProbe probe = s.probe;
    if (probe.isSilent(now)) {
      failed(
          s,
          new BackplaneUnavailableException(
              probe.missesAllowed()
                  + " delivery probes in a row that Redis accepted did not reach the subscriber"
                  + " connection within "
                  + config.socketTimeout.toMillis()
                  + " ms each (it answers PING but receives nothing)"));
      return;
    }
    if (s.pingOutstanding) {
      // A PONG queued behind a backlog of room traffic (a busy or CPU-starved hub fans every
      // message out on this thread) is late, not lost: a connection that keeps delivering is not
      // half-open. Only a PING followed by a socket timeout of silence counts.
      if (now - s.pingSentAt > socketTimeoutNanos && now - s.lastReadAt > socketTimeoutNanos) {
        failed(
            s,
            new BackplaneUnavailableException(
                "Redis did not answer PING within "
                    + config.socketTimeout.toMillis()
                    + " ms, nor sent anything else (half-open connection or stalled server)"));
      }
      return;
    }
    if (now - s.pingSentAt >= config.pingIntervalNanos()) {
      s.pingSentAt = now;
      s.pingOutstanding = true;
      try {
        s.ping();
      } catch (RuntimeException e) {
        failed(s, e);
        return;
      }
      String at = s.probeSent;
      if (s.restored && s.probeReady && at != null) {
        long seq = probe.next();
        if (seq != 0 && !host.submit(new Probe(s, probe, at, seq))) {
          probe.refused(seq);
        }
      }
    }
  }

  /**
   * A delivery probe: PUBLISH (SPUBLISH on a Cluster link) to the probe channel, through the
   * command connection. Redis' reply says how many subscribers it reached; ours must be one of
   * them, and the probe must then arrive on the subscriber connection (see {@link DeliveryProbe}
   * for when a late one counts). A PING alone proves only that the subscriber connection is open;
   * this proves that what is published where the commands go reaches it (a subscriber left on a
   * demoted or detached server, or a link that drops pushes, answers PING but receives nothing, and
   * health would otherwise stay green while messages are lost).
   */
  private final class Probe extends CommandChannel.Op {
    private final Subscription s;
    private final DeliveryProbe probe;
    private final String channel;
    private final long seq;

    Probe(Subscription s, DeliveryProbe probe, String channel, long seq) {
      this.s = s;
      this.probe = probe;
      this.channel = channel;
      this.seq = seq;
    }

    @Override
    redis.clients.jedis.CommandArguments command() {
      return new redis.clients.jedis.CommandArguments(
              sharded
                  ? redis.clients.jedis.Protocol.Command.SPUBLISH
                  : redis.clients.jedis.Protocol.Command.PUBLISH)
          .add(channel)
          .add(Wire.probe(nodeId, seq));
    }

    @Override
    void complete(Object reply) {
      if (s != current) {
        return;
      }
      if (!Long.valueOf(0).equals(reply)) {
        probe.accepted(seq, System.nanoTime());
      } else if (sharded) {
        // a slot that moved away and back can leave the probe channel briefly unsubscribed;
        // the Cluster link counts this as one miss and lets the next probes decide
        probe.unheard(seq, System.nanoTime());
      } else {
        failed(
            s,
            new BackplaneUnavailableException(
                "Redis delivered this node's delivery probe to no subscriber: the subscriber"
                    + " connection is not on the server the commands go to"));
      }
    }

    @Override
    void failQuietly(Throwable error) {
      // the command channel reports its own failures; a refused probe says nothing of delivery
      probe.refused(seq);
      if (sharded) {
        host.redirected(); // most likely MOVED: the probe channel's slot has a new owner
      }
    }

    @Override
    public String toString() {
      return "delivery probe " + seq;
    }
  }

  // ---- the subscription

  /**
   * One subscriber connection and what was sent on it; replaced on every reconnect. Speaks plain
   * pub/sub through Jedis' {@link JedisPubSub}, or sharded pub/sub through {@link ShardedLine}.
   */
  final class Subscription {
    final PubSubConnection conn;
    private final ClassicLine classic;
    private final ShardedLine shardedLine;

    /** Rooms a (S)SUBSCRIBE was sent for on this connection. Guarded by lock. */
    final Set<String> sent = ConcurrentHashMap.newKeySet();

    int expected; // initial channels; subscriber thread after set under lock
    private int confirmed; // subscriber thread
    volatile boolean ready; // initial SUBSCRIBE confirmed: others may write to it
    volatile boolean restored; // the node was reported healthy on this connection
    volatile boolean pingOutstanding;
    volatile String probeSent; // the probe channel (S)SUBSCRIBEd on this connection; under lock
    volatile boolean probeReady; // Redis confirmed it
    volatile DeliveryProbe probe = newProbe(); // replaced with the probe channel, under lock
    final long createdAt = System.nanoTime();
    volatile long pingSentAt = createdAt;
    volatile long lastReadAt = createdAt; // anything read off the connection; subscriber thread

    Subscription(PubSubConnection conn) {
      this.conn = conn;
      if (sharded) {
        this.classic = null;
        this.shardedLine = new ShardedLine(conn, new ShardedEvents(this));
      } else {
        this.classic = new ClassicLine(this);
        this.shardedLine = null;
      }
    }

    /** Subscribes the initial channels and reads until the connection ends. Subscriber thread. */
    void run(String[] initial) {
      if (classic != null) {
        classic.proceed(conn, initial);
        return;
      }
      if (initial.length > 0) {
        shardedLine.subscribe(initial);
      } else {
        becomeReady();
      }
      shardedLine.read();
    }

    void subscribe(String... channels) {
      if (classic != null) {
        classic.subscribe(channels);
      } else {
        shardedLine.subscribe(channels);
      }
    }

    void unsubscribe(String... channels) {
      if (classic != null) {
        classic.unsubscribe(channels);
      } else {
        shardedLine.unsubscribe(channels);
      }
    }

    void ping() {
      if (classic != null) {
        classic.ping();
      } else {
        shardedLine.ping();
      }
    }

    void disconnect() {
      Connections.forceDisconnect(conn);
    }

    void confirmed(String channel) {
      if (channel.equals(probeSent)) {
        probeReady = true;
      }
      if (!ready && ++confirmed == expected) {
        becomeReady();
      }
      String room = wire.roomOf(channel);
      if (room != null) {
        CompletableFuture<Void> pending = pendingSubscribes.get(room);
        if (pending != null) {
          pending.complete(null);
        }
      }
    }

    private void becomeReady() {
      // A read timeout as a backstop to the PING watchdog (Jedis sets it to infinite).
      conn.setSoTimeout(config.subscribedReadTimeoutMillis());
      ready = true;
      runOnControl(() -> reconcile(this));
    }

    void message(String channel, String message) {
      lastReadAt = System.nanoTime();
      String room = wire.roomOf(channel);
      if (room != null && rooms.contains(room)) {
        host.deliver(room, message);
      } else if (channel.equals(probeSent)) {
        probe.arrived(Wire.probeSeq(message, nodeId));
      } // else a room unsubscribed a moment ago, or an abandoned probe channel
    }

    /** A new probe channel (or none): probes on the old one no longer count. Under lock. */
    void resetProbe(String channel) {
      probeReady = false;
      probe = newProbe();
      probeSent = channel;
    }

    void pong() {
      lastReadAt = System.nanoTime();
      pingOutstanding = false;
    }
  }

  private DeliveryProbe newProbe() {
    return new DeliveryProbe(config.deliveryProbeMisses, config.socketTimeoutNanos());
  }

  /** Plain pub/sub: Jedis reads the connection and calls back. */
  private static final class ClassicLine extends JedisPubSub {
    private final Subscription s;

    ClassicLine(Subscription s) {
      this.s = s;
    }

    @Override
    public void onSubscribe(String channel, int subscribedChannels) {
      s.confirmed(channel);
    }

    @Override
    public void onMessage(String channel, String message) {
      s.message(channel, message);
    }

    @Override
    public void onPong(String pattern) {
      s.pong();
    }
  }

  /** Sharded pub/sub's events for one subscription. */
  private final class ShardedEvents implements ShardedLine.Events {
    private final Subscription s;

    ShardedEvents(Subscription s) {
      this.s = s;
    }

    @Override
    public void subscribed(String channel) {
      s.confirmed(channel);
    }

    @Override
    public void message(String channel, String payload) {
      s.message(channel, payload);
    }

    @Override
    public void pong() {
      s.pong();
    }

    @Override
    public void movedAway(String channel) {
      String room = wire.roomOf(channel);
      if (room == null) {
        if (channel.equals(s.probeSent)) {
          probeLost();
        }
        return;
      }
      synchronized (lock) {
        s.sent.remove(room); // a later subscribe on this connection must send SSUBSCRIBE again
      }
      host.movedAway(room);
    }

    @Override
    public void redirected(redis.clients.jedis.exceptions.JedisRedirectionException e) {
      s.confirmed(""); // the refused SSUBSCRIBE was answered all the same
      String at = s.probeSent;
      if (at != null && SlotMap.slotOf(at) == e.getSlot()) {
        probeLost();
      } else {
        host.redirected();
      }
    }

    /**
     * The probe channel's slot is not this server's (any more): stop probing until the Cluster
     * node, after a fresh look at the slot map, names another channel.
     */
    private void probeLost() {
      synchronized (lock) {
        if (s == current) {
          s.resetProbe(null);
        }
      }
      host.redirected();
    }
  }
}
