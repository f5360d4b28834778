package dev.roomcast.redis;

import dev.roomcast.BackplaneUnavailableException;
import dev.roomcast.StreamPosition;
import dev.roomcast.spi.BackplaneListener;
import dev.roomcast.spi.BackplaneNode;
import dev.roomcast.spi.HistoryPage;
import dev.roomcast.spi.MessageDraft;
import dev.roomcast.spi.RoomMessage;
import dev.roomcast.spi.RoomNotice;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;
import redis.clients.jedis.CommandArguments;
import redis.clients.jedis.Connection;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.JedisPubSub;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.SslOptions;
import redis.clients.jedis.SslVerifyMode;

/**
 * One hub's attachment to Redis.
 *
 * <p>Threads (all daemons, all stopped by {@link #close}):
 *
 * <ul>
 *   <li>{@code roomcast-redis-sub-<node>} owns the subscriber connection: it connects, asks the
 *       command channel to restart, subscribes the control channel plus every live room in one
 *       SUBSCRIBE, then blocks reading messages and hands them to the listener. When the connection
 *       fails it reports the loss, waits per the backoff policy and starts over.
 *   <li>{@code roomcast-redis-cmd-<node>} is the {@link CommandChannel}.
 *   <li>{@code roomcast-redis-ctl-<node>} sends SUBSCRIBE/UNSUBSCRIBE for rooms in the order the
 *       hub asked, and PINGs the subscriber connection, declaring it lost when a PING is not
 *       answered within the socket timeout (a half-open connection never fails a read by itself).
 * </ul>
 *
 * <p>Health: {@link #isHealthy} is true from the moment every live room is subscribed again (and
 * the scripts are loaded) until a failure is seen by any of the three threads. While unhealthy,
 * publishes and reads fail at once with {@link BackplaneUnavailableException}. The listener hears
 * {@code onLost} once per outage and {@code onRestored} when it ends.
 *
 * <p>Rollback fence: the node remembers the highest offset it saw per live room. After a reconnect,
 * a room whose Redis head is behind that in the same epoch (Redis restored an older snapshot) is
 * moved to a new epoch before anyone publishes into it, so offsets are never reused for different
 * messages.
 */
final class RedisNode implements BackplaneNode {
  private static final Logger LOG = Logger.getLogger("dev.roomcast.redis");
  private static final SecureRandom SEED = new SecureRandom();

  private final RedisBackplane config;
  private final String nodeId;
  private final BackplaneListener listener;
  private final Wire wire;
  private final HostAndPort hostAndPort;
  private final JedisClientConfig cmdClientConfig;
  private final JedisClientConfig subClientConfig;
  private final String controlChannel;
  private final long ttlSeconds;
  private final long socketTimeoutNanos;
  private final long pingIntervalNanos;
  private final long subscribeWaitMillis;

  private final CommandChannel commands;
  private final Thread subscriberThread;
  private final ScheduledThreadPoolExecutor control;
  private final SplittableRandom random;
  private volatile Thread controlThread;

  /** Rooms the hub subscribed, in the state the hub last asked for. */
  private final Set<String> rooms = ConcurrentHashMap.newKeySet();

  /** Hub threads waiting for a SUBSCRIBE to be confirmed, by room. */
  private final ConcurrentHashMap<String, CompletableFuture<Void>> pendingSubscribes =
      new ConcurrentHashMap<>();

  /** Highest position seen per live room, for the rollback fence. */
  private final ConcurrentHashMap<String, StreamPosition> seen = new ConcurrentHashMap<>();

  private final Object subLock = new Object();
  private volatile Subscription current; // written under subLock

  private final Object stateLock = new Object();
  private volatile boolean healthy; // written under stateLock
  private boolean attached; // guarded by stateLock
  private volatile Throwable lastFailure;
  private volatile boolean gaveUp;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final CountDownLatch firstUp = new CountDownLatch(1);
  private final CountDownLatch closing = new CountDownLatch(1);

  private RedisNode(RedisBackplane config, String nodeId, BackplaneListener listener) {
    this.config = config;
    this.nodeId = nodeId;
    this.listener = listener;
    this.wire = new Wire(config.keyPrefix);
    this.hostAndPort = new HostAndPort(config.endpoint.host, config.endpoint.port);
    this.cmdClientConfig = clientConfig("cmd");
    this.subClientConfig = clientConfig("sub");
    this.controlChannel = wire.controlChannel(nodeId);
    this.ttlSeconds = Math.max(1, (config.historyTtl.toMillis() + 999) / 1000);
    this.socketTimeoutNanos = config.socketTimeout.toNanos();
    this.pingIntervalNanos = config.pingInterval.toNanos();
    this.subscribeWaitMillis = Math.min(config.socketTimeout.toMillis(), 2000);
    this.random = new SplittableRandom(SEED.nextLong());
    this.commands =
        new CommandChannel(
            this, config.maxQueuedCommands, config.maxBatch, "roomcast-redis-cmd-" + nodeId);
    this.subscriberThread = new Thread(this::runSubscriber, "roomcast-redis-sub-" + nodeId);
    this.subscriberThread.setDaemon(true);
    this.control =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread t = new Thread(r, "roomcast-redis-ctl-" + nodeId);
              t.setDaemon(true);
              controlThread = t;
              return t;
            });
    this.control.setRemoveOnCancelPolicy(true);
    this.control.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
  }

  /**
   * Starts the threads and waits (up to the connect timeout plus the socket timeout) for the first
   * connection, so a hub built right after can publish at once. When Redis is not reachable yet the
   * node is returned unhealthy and keeps trying; the listener hears {@code onRestored} once it
   * connects.
   */
  static RedisNode start(RedisBackplane config, String nodeId, BackplaneListener listener) {
    RedisNode n = new RedisNode(config, nodeId, listener);
    n.commands.start();
    n.subscriberThread.start();
    long tick =
        Math.max(10, Math.min(config.pingInterval.toMillis(), config.socketTimeout.toMillis()) / 4);
    n.control.scheduleWithFixedDelay(n::keepAlive, tick, tick, TimeUnit.MILLISECONDS);
    boolean up = false;
    try {
      up =
          n.firstUp.await(
              config.connectTimeout.toMillis() + config.socketTimeout.toMillis(),
              TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    synchronized (n.stateLock) {
      n.attached = true;
    }
    if (!up) {
      LOG.warning(
          "Redis at "
              + config.endpoint
              + " not reachable yet for node "
              + nodeId
              + "; will keep trying"
              + (n.lastFailure != null ? " (" + n.lastFailure + ")" : ""));
    }
    return n;
  }

  // ---- BackplaneNode

  @Override
  public void subscribe(String room) {
    if (closed.get() || !rooms.add(room)) {
      return;
    }
    CompletableFuture<Void> confirmed = null;
    if (healthy && !isOwnThread()) { // never wait on a thread that may be the one to confirm
      confirmed = new CompletableFuture<>();
      CompletableFuture<Void> older = pendingSubscribes.put(room, confirmed);
      if (older != null) {
        older.complete(null);
      }
    }
    if (!runOnControl(() -> syncRoom(room))) {
      return;
    }
    if (confirmed != null) {
      // Wait (briefly) until Redis confirmed, so traffic published after the first member's
      // join is seen here. Never long: on timeout the subscription still completes later.
      try {
        confirmed.get(subscribeWaitMillis, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (ExecutionException | TimeoutException e) {
        LOG.fine("SUBSCRIBE to room " + room + " not confirmed yet");
      } finally {
        pendingSubscribes.remove(room, confirmed);
      }
    }
  }

  @Override
  public void unsubscribe(String room) {
    if (!rooms.remove(room)) {
      return;
    }
    seen.remove(room);
    CompletableFuture<Void> pending = pendingSubscribes.remove(room);
    if (pending != null) {
      pending.complete(null);
    }
    runOnControl(() -> syncRoom(room));
  }

  @Override
  public CompletionStage<RoomMessage> publish(MessageDraft draft) {
    BackplaneUnavailableException refused = refuse();
    if (refused != null) {
      return CompletableFuture.failedFuture(refused);
    }
    PublishOp op = new PublishOp(draft);
    if (!commands.submit(op)) {
      return CompletableFuture.failedFuture(queueFull());
    }
    return op.future;
  }

  @Override
  public void publishNotice(RoomNotice notice) {
    if (refuse() == null) {
      commands.submit(new NoticeOp(notice)); // best effort: dropped when the queue is full
    }
  }

  @Override
  public CompletionStage<HistoryPage> readHistory(
      String room, String epoch, long afterOffset, int limit) {
    BackplaneUnavailableException refused = refuse();
    if (refused != null) {
      return CompletableFuture.failedFuture(refused);
    }
    ReadOp op = new ReadOp(room, epoch, Math.max(0, afterOffset), Math.max(1, limit));
    if (!commands.submit(op)) {
      return CompletableFuture.failedFuture(queueFull());
    }
    return op.page;
  }

  @Override
  public CompletionStage<StreamPosition> position(String room) {
    BackplaneUnavailableException refused = refuse();
    if (refused != null) {
      return CompletableFuture.failedFuture(refused);
    }
    ReadOp op = new ReadOp(room, null, 0, 0);
    if (!commands.submit(op)) {
      return CompletableFuture.failedFuture(queueFull());
    }
    return op.position;
  }

  @Override
  public boolean isHealthy() {
    return healthy && !closed.get();
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    synchronized (stateLock) {
      healthy = false;
    }
    closing.countDown();
    commands.shutdown();
    Subscription s = current;
    if (s != null) {
      s.disconnect();
    }
    control.shutdownNow();
    completePendingSubscribes();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
    try {
      subscriberThread.join(remainingMillis(deadline));
      commands.join(remainingMillis(deadline));
      control.awaitTermination(remainingMillis(deadline), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (subscriberThread.isAlive() || commands.isAlive()) {
      LOG.fine("Redis node " + nodeId + " threads still finishing a blocking call after close");
    }
  }

  private boolean isOwnThread() {
    Thread t = Thread.currentThread();
    return t == subscriberThread || t == controlThread || commands.isOwnThread(t);
  }

  private static long remainingMillis(long deadlineNanos) {
    return Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime()));
  }

  @Override
  public String toString() {
    return "RedisNode{" + nodeId + " @ " + config.endpoint + (healthy ? ", up" : ", down") + "}";
  }

  // ---- failing fast

  private BackplaneUnavailableException refuse() {
    if (closed.get()) {
      return new BackplaneUnavailableException("Redis backplane is closed");
    }
    if (!healthy) {
      return unavailable();
    }
    return null;
  }

  /** The exception for "Redis is down right now"; its message is safe to show to clients. */
  BackplaneUnavailableException unavailable() {
    if (closed.get()) {
      return new BackplaneUnavailableException("Redis backplane is closed");
    }
    return new BackplaneUnavailableException(
        gaveUp ? "Redis unreachable; gave up reconnecting" : "Redis unreachable; reconnecting",
        lastFailure);
  }

  private BackplaneUnavailableException queueFull() {
    return new BackplaneUnavailableException(
        "Redis is not keeping up: " + config.maxQueuedCommands + " commands already waiting");
  }

  // ---- subscriber loop (subscriber thread)

  private void runSubscriber() {
    int failures = 0;
    while (!closed.get()) {
      Subscription s = null;
      Throwable cause;
      try {
        commands
            .restart(fences())
            .get(
                config.connectTimeout.toMillis() + 3 * config.socketTimeout.toMillis(),
                TimeUnit.MILLISECONDS);
        Connection conn = openConnection("sub");
        s = new Subscription(conn);
        String[] initial;
        synchronized (subLock) {
          if (closed.get()) {
            forceDisconnect(conn);
            break;
          }
          List<String> channels = new ArrayList<>(rooms.size() + 1);
          channels.add(controlChannel);
          for (String room : rooms) {
            s.sent.add(room);
            channels.add(wire.channel(room));
          }
          initial = channels.toArray(new String[0]);
          s.expected = initial.length;
          current = s;
        }
        s.proceed(conn, initial); // blocks until the connection fails or is closed
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
      if (closed.get()) {
        break;
      }
      boolean wasUp = s != null && s.restored;
      connectionFailed(s, cause);
      synchronized (subLock) {
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
        gaveUp = true;
        LOG.severe(
            "Redis at "
                + config.endpoint
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
            "reconnecting to Redis at " + config.endpoint + " in " + delay.getAsLong() + " ms");
      }
      try {
        if (closing.await(delay.getAsLong(), TimeUnit.MILLISECONDS)) {
          break;
        }
      } catch (InterruptedException e) {
        // close() interrupts only after setting closed
      }
    }
  }

  /** Every live room's highest seen position, for the command channel's restart. */
  private List<Fence> fences() {
    List<Fence> out = new ArrayList<>();
    for (Map.Entry<String, StreamPosition> e : seen.entrySet()) {
      if (rooms.contains(e.getKey())) {
        out.add(new Fence(e.getKey(), e.getValue(), newEpoch()));
      }
    }
    return out;
  }

  /** A failure seen by any thread. {@code source} is the subscription it concerns, if any. */
  void connectionFailed(Subscription source, Throwable cause) {
    if (source != null && source != current) {
      return; // about a connection already replaced
    }
    boolean notify;
    synchronized (stateLock) {
      notify = healthy && attached && !closed.get();
      healthy = false;
      lastFailure = cause;
    }
    // Command connection first: the subscriber thread may only restart it after its own
    // connection is gone, which happens next.
    commands.connectionLost();
    Subscription s = current;
    if (s != null && (source == null || s == source)) {
      s.disconnect();
    }
    completePendingSubscribes();
    if (notify) {
      LOG.warning("lost Redis at " + config.endpoint + " (node " + nodeId + "): " + cause);
      try {
        listener.onLost(unavailable());
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "listener.onLost threw", e);
      }
    }
  }

  private void markUp(Subscription s) {
    boolean notify;
    synchronized (stateLock) {
      if (closed.get() || current != s || healthy) {
        return;
      }
      healthy = true;
      lastFailure = null;
      notify = attached;
    }
    s.restored = true;
    firstUp.countDown();
    if (notify) {
      LOG.info(
          "Redis at "
              + config.endpoint
              + " restored for node "
              + nodeId
              + "; "
              + rooms.size()
              + " rooms subscribed");
      try {
        listener.onRestored();
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "listener.onRestored threw", e);
      }
    }
  }

  private void completePendingSubscribes() {
    for (String room : List.copyOf(pendingSubscribes.keySet())) {
      CompletableFuture<Void> f = pendingSubscribes.remove(room);
      if (f != null) {
        f.complete(null);
      }
    }
  }

  // ---- control thread

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
      synchronized (subLock) {
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
      connectionFailed(s, e);
    }
  }

  /**
   * After the initial SUBSCRIBE is confirmed: catch up with rooms the hub added or removed
   * meanwhile, then report the node healthy. Control thread.
   */
  private void reconcile(Subscription s) {
    try {
      synchronized (subLock) {
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
      connectionFailed(s, e);
      return;
    }
    markUp(s);
  }

  /** PINGs the subscriber connection and enforces the PONG deadline. Control thread. */
  private void keepAlive() {
    Subscription s = current;
    if (s == null || closed.get()) {
      return;
    }
    long now = System.nanoTime();
    if (!s.ready) {
      // Jedis reads a subscription with no timeout: a server that stalls before confirming the
      // initial SUBSCRIBE would hold the subscriber thread forever.
      if (now - s.createdAt > 2 * socketTimeoutNanos) {
        connectionFailed(
            s,
            new BackplaneUnavailableException(
                "Redis did not confirm SUBSCRIBE within "
                    + 2 * config.socketTimeout.toMillis()
                    + " ms"));
      }
      return;
    }
    if (s.pingOutstanding) {
      if (now - s.pingSentAt > socketTimeoutNanos) {
        connectionFailed(
            s,
            new BackplaneUnavailableException(
                "Redis did not answer PING within "
                    + config.socketTimeout.toMillis()
                    + " ms (half-open connection or stalled server)"));
      }
      return;
    }
    if (now - s.pingSentAt >= pingIntervalNanos) {
      s.pingSentAt = now;
      s.pingOutstanding = true;
      try {
        s.ping();
      } catch (RuntimeException e) {
        connectionFailed(s, e);
      }
    }
  }

  // ---- incoming traffic (subscriber thread)

  private void dispatch(String channel, String payload) {
    String room = wire.roomOf(channel);
    if (room == null || !rooms.contains(room)) {
      return; // the control channel, or a room unsubscribed a moment ago
    }
    Wire.Payload p;
    try {
      p = Wire.parse(payload);
    } catch (RuntimeException e) {
      LOG.warning("ignoring a malformed payload on channel " + channel + ": " + e.getMessage());
      return;
    }
    if (p.origin().equals(nodeId)) {
      return; // our own echo: the hub delivered it locally already
    }
    try {
      if (p instanceof Wire.MessagePayload) {
        Wire.MessagePayload m = (Wire.MessagePayload) p;
        noteSeen(room, m.epoch(), m.offset());
        listener.onMessage(m.toMessage(room));
      } else {
        listener.onNotice(((Wire.NoticePayload) p).toNotice(room));
      }
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "listener threw on a message for room " + room, e);
    }
  }

  private void noteSeen(String room, String epoch, long offset) {
    if (!rooms.contains(room)) {
      return;
    }
    seen.compute(
        room,
        (r, old) ->
            old == null || !old.epoch().equals(epoch) || old.offset() < offset
                ? new StreamPosition(epoch, offset)
                : old);
  }

  // ---- rollback fence (command thread)

  /** A fence check for one room. */
  record Fence(String room, StreamPosition seen, String newEpoch) {}

  CommandArguments fenceCommand(Fence f) {
    return new CommandArguments(Protocol.Command.EVALSHA)
        .add(Script.FENCE.sha1)
        .add(2)
        .add(wire.metaKey(f.room()))
        .add(wire.logKey(f.room()))
        .add(f.seen().epoch())
        .add(f.seen().offset())
        .add(f.newEpoch())
        .add(ttlSeconds);
  }

  void fenced(Fence f) {
    LOG.warning(
        "Redis lost recent history of room "
            + f.room()
            + " (head behind offset "
            + f.seen().offset()
            + " of epoch "
            + f.seen().epoch()
            + "); started epoch "
            + f.newEpoch()
            + " so offsets are not reused");
    seen.remove(f.room());
  }

  // ---- connections

  private JedisClientConfig clientConfig(String role) {
    RedisEndpoint ep = config.endpoint;
    DefaultJedisClientConfig.Builder b =
        DefaultJedisClientConfig.builder()
            .connectionTimeoutMillis((int) config.connectTimeout.toMillis())
            .socketTimeoutMillis((int) config.socketTimeout.toMillis())
            .database(ep.database)
            .clientName("roomcast-" + nodeId + "-" + role);
    if (ep.user != null) {
      b.user(ep.user);
    }
    if (ep.password != null) {
      b.password(ep.password);
    }
    if (ep.tls) {
      SslOptions.Builder tls =
          SslOptions.builder()
              .sslVerifyMode(config.tlsVerifyHostname ? SslVerifyMode.FULL : SslVerifyMode.CA);
      if (config.tlsTrustStore != null) {
        tls.truststore(config.tlsTrustStore.toFile(), config.tlsTrustStorePassword);
      }
      if (config.tlsKeyStore != null) {
        tls.keystore(config.tlsKeyStore.toFile(), config.tlsKeyStorePassword);
      }
      b.sslOptions(tls.build());
    }
    // plain RESP2, no HELLO: any Redis >= 5, on Jedis 7 and 8 (see Resp2ClientConfig)
    return new Resp2ClientConfig(b.build());
  }

  /** Opens and authenticates a connection ({@code role} is "cmd" or "sub"). */
  Connection openConnection(String role) {
    return new Connection(hostAndPort, role.equals("sub") ? subClientConfig : cmdClientConfig);
  }

  static void forceDisconnect(Connection c) {
    try {
      c.forceDisconnect();
    } catch (IOException | RuntimeException e) {
      // already gone
    }
  }

  static String text(Object reply) {
    if (reply instanceof byte[]) {
      return new String((byte[]) reply, StandardCharsets.UTF_8);
    }
    return String.valueOf(reply);
  }

  /** A fresh epoch: 10 characters of [0-9a-z] (about 51 bits). Any thread. */
  private String newEpoch() {
    char[] c = new char[10];
    synchronized (random) {
      for (int i = 0; i < c.length; i++) {
        c[i] = Character.forDigit(random.nextInt(36), 36);
      }
    }
    return new String(c);
  }

  // ---- the subscription

  /** One subscriber connection's JedisPubSub; replaced on every reconnect. */
  final class Subscription extends JedisPubSub {
    final Connection conn;

    /** Rooms a SUBSCRIBE was sent for on this connection. Guarded by subLock. */
    final Set<String> sent = ConcurrentHashMap.newKeySet();

    int expected; // initial channels; subscriber thread after set under subLock
    private int confirmed; // subscriber thread
    volatile boolean ready; // initial SUBSCRIBE confirmed: others may write to it
    volatile boolean restored; // the node was reported healthy on this connection
    volatile boolean pingOutstanding;
    final long createdAt = System.nanoTime();
    volatile long pingSentAt = createdAt;

    Subscription(Connection conn) {
      this.conn = conn;
    }

    void disconnect() {
      forceDisconnect(conn);
    }

    @Override
    public void onSubscribe(String channel, int subscribedChannels) {
      if (!ready && ++confirmed == expected) {
        // A read timeout as a backstop to the PING watchdog (Jedis sets it to infinite).
        long backstop = 2 * config.pingInterval.toMillis() + config.socketTimeout.toMillis();
        conn.setSoTimeout((int) Math.min(Integer.MAX_VALUE, backstop));
        ready = true;
        runOnControl(() -> reconcile(this));
      }
      String room = wire.roomOf(channel);
      if (room != null) {
        CompletableFuture<Void> pending = pendingSubscribes.get(room);
        if (pending != null) {
          pending.complete(null);
        }
      }
    }

    @Override
    public void onMessage(String channel, String message) {
      dispatch(channel, message);
    }

    @Override
    public void onPong(String pattern) {
      pingOutstanding = false;
    }
  }

  // ---- commands

  private final class PublishOp extends CommandChannel.Op {
    final MessageDraft draft;
    final CompletableFuture<RoomMessage> future = new CompletableFuture<>();

    PublishOp(MessageDraft draft) {
      this.draft = draft;
    }

    @Override
    CommandArguments command() {
      String room = draft.room();
      return new CommandArguments(Protocol.Command.EVALSHA)
          .add(Script.PUBLISH.sha1)
          .add(2)
          .add(wire.metaKey(room))
          .add(wire.logKey(room))
          .add(wire.channel(room))
          .add(config.historyLength)
          .add(ttlSeconds)
          .add(newEpoch())
          .add(Wire.header(draft.originNode(), draft.clientId(), draft.timestamp()))
          .add(draft.contentJson());
    }

    @Override
    void complete(Object reply) {
      List<?> r = (List<?>) reply;
      String epoch = text(r.get(0));
      long offset = (Long) r.get(1);
      noteSeen(draft.room(), epoch, offset);
      future.complete(draft.at(epoch, offset));
    }

    @Override
    void failQuietly(Throwable error) {
      future.completeExceptionally(error);
    }

    @Override
    public String toString() {
      return "publish to " + draft.room();
    }
  }

  private final class NoticeOp extends CommandChannel.Op {
    final RoomNotice notice;

    NoticeOp(RoomNotice notice) {
      this.notice = notice;
    }

    @Override
    CommandArguments command() {
      return new CommandArguments(Protocol.Command.PUBLISH)
          .add(wire.channel(notice.room()))
          .add(Wire.notice(notice));
    }

    @Override
    void complete(Object reply) {}

    @Override
    void failQuietly(Throwable error) {}

    @Override
    public String toString() {
      return "notice to " + notice.room();
    }
  }

  /** A position read ({@code limit == 0}) or a history read. */
  private final class ReadOp extends CommandChannel.Op {
    final String room;
    final String epoch;
    final long after;
    final int limit;
    final CompletableFuture<HistoryPage> page = new CompletableFuture<>();
    final CompletableFuture<StreamPosition> position = new CompletableFuture<>();

    ReadOp(String room, String epoch, long after, int limit) {
      this.room = room;
      this.epoch = epoch;
      this.after = after;
      this.limit = limit;
    }

    @Override
    CommandArguments command() {
      return new CommandArguments(Protocol.Command.EVALSHA)
          .add(Script.READ.sha1)
          .add(2)
          .add(wire.metaKey(room))
          .add(wire.logKey(room))
          .add(ttlSeconds)
          .add(newEpoch())
          .add(epoch == null ? "" : epoch)
          .add(after)
          .add(limit)
          .add((after + 1) + "-0");
    }

    @Override
    void complete(Object reply) {
      List<?> r = (List<?>) reply;
      String current = text(r.get(0));
      long head = (Long) r.get(1);
      if (limit == 0) {
        position.complete(new StreamPosition(current, head));
        return;
      }
      boolean complete = Long.valueOf(1).equals(r.get(2));
      if (!complete) {
        page.complete(HistoryPage.notRecoverable(current, head));
        return;
      }
      List<?> entries = (List<?>) r.get(3);
      List<RoomMessage> messages = new ArrayList<>(entries.size());
      long expected = after + 1;
      for (Object o : entries) {
        List<?> entry = (List<?>) o;
        long offset = Wire.offsetOfId(text(entry.get(0)));
        if (offset != expected) {
          // never hand out a page with a hole
          LOG.warning("room " + room + " history has a hole at offset " + expected);
          page.complete(HistoryPage.notRecoverable(current, head));
          return;
        }
        expected++;
        List<?> fields = (List<?>) entry.get(1);
        String header = null;
        String content = null;
        for (int i = 0; i + 1 < fields.size(); i += 2) {
          String name = text(fields.get(i));
          if (name.equals("h")) {
            header = text(fields.get(i + 1));
          } else if (name.equals("c")) {
            content = text(fields.get(i + 1));
          }
        }
        if (header == null || content == null) {
          throw new IllegalStateException("stream entry without h/c fields in room " + room);
        }
        String[] h = Wire.parseHeader(header);
        messages.add(new RoomMessage(room, current, offset, h[1], content, h[2], h[0]));
      }
      page.complete(new HistoryPage(current, head, messages, true));
    }

    @Override
    void failQuietly(Throwable error) {
      page.completeExceptionally(error);
      position.completeExceptionally(error);
    }

    @Override
    public String toString() {
      return (limit == 0 ? "position of " : "history of ") + room;
    }
  }
}
