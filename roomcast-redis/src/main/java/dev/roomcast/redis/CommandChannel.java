package dev.roomcast.redis;

import dev.roomcast.BackplaneUnavailableException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;
import redis.clients.jedis.CommandArguments;
import redis.clients.jedis.Connection;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisNoScriptException;
import redis.clients.jedis.exceptions.JedisRedirectionException;

/**
 * The node's command connection and the one thread that writes to it.
 *
 * <p>Callers {@link #submit} commands (publishes, history reads, notices) into a bounded queue and
 * get futures. The thread takes whatever is queued (up to {@code maxBatch}), writes it as one
 * pipeline, reads the replies in order and completes the futures, in submission order, on this
 * thread. So a node's publishes reach Redis in the order they were submitted, and a burst costs one
 * round trip instead of one per message.
 *
 * <p>Scripts are called with EVALSHA; a NOSCRIPT reply (Redis restarted or its script cache was
 * flushed) makes the thread load the scripts again and retry those commands once.
 *
 * <p>The connection is (re)opened only by a {@linkplain #restart restart}, which the node's
 * subscriber loop requests before every (re)subscription. While it is down, submitted commands fail
 * at once with {@link BackplaneUnavailableException}. A connection-level failure fails the batch in
 * flight and tells the node, which starts a full reconnect.
 *
 * <p>The channel knows its node only through the narrow {@link Link}: how to open a connection,
 * what to fail commands with while down, and whom to tell about a connection-level failure.
 *
 * <p>Lifecycle: created and started by its node; {@link #shutdown} disconnects, stops the thread
 * and fails whatever is still queued. Thread-safe: every method but the thread's own may be called
 * from any thread.
 */
final class CommandChannel {
  private static final Logger LOG = Logger.getLogger("dev.roomcast.redis");

  /** What the channel needs from its node. Called on the command thread. */
  interface Link {
    /** Opens and authenticates a command connection (blocking). */
    Connection open();

    /** The exception to fail commands with while there is no usable connection. */
    BackplaneUnavailableException unavailable();

    /** The connection failed at the connection level: the node must reconnect everything. */
    void failed(Throwable cause);

    /**
     * Redis Cluster answered {@code MOVED}, {@code ASK} or {@code TRYAGAIN}: the op's slot is
     * elsewhere or moving. Return {@code true} to take the op over (it is neither completed nor
     * failed here), {@code false} to fail it with the error.
     */
    default boolean redirected(Op op, JedisDataException reply) {
      return false;
    }
  }

  private final Link node;
  private final int maxQueued;
  private final int maxBatch;
  private final LinkedBlockingDeque<Op> queue = new LinkedBlockingDeque<>();
  private final AtomicInteger queued = new AtomicInteger();
  private final Thread thread;
  private volatile Connection conn;
  private volatile boolean usable;
  private volatile boolean shut;

  CommandChannel(Link node, int maxQueued, int maxBatch, String threadName) {
    this.node = node;
    this.maxQueued = maxQueued;
    this.maxBatch = maxBatch;
    this.thread = new Thread(this::run, threadName);
    this.thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  /**
   * Queues a command.
   *
   * @return {@code false} when the queue is full or the channel is shut (the caller fails fast)
   */
  boolean submit(Op op) {
    if (shut) {
      return false;
    }
    if (queued.incrementAndGet() > maxQueued) {
      queued.decrementAndGet();
      return false;
    }
    queue.offerLast(op);
    if (shut) {
      // lost the race with shutdown: make sure nobody waits forever
      drainAndFail(closed());
    }
    return true;
  }

  /** Commands queued and not yet sent. */
  int queued() {
    return queued.get();
  }

  /**
   * Reopens the connection, loads the scripts and runs the given commands (the fence checks), ahead
   * of anything queued. An error reply to one of them fails the restart.
   */
  CompletableFuture<Void> restart(List<Op> preamble) {
    Restart r = new Restart(preamble);
    if (shut) {
      r.future.completeExceptionally(closed());
      return r.future;
    }
    queue.offerFirst(r);
    if (shut) {
      drainAndFail(closed());
    }
    return r.future;
  }

  /** The node lost Redis: drop the connection now so nothing waits on it. Any thread. */
  void connectionLost() {
    usable = false;
    Connection c = conn;
    if (c != null) {
      Connections.forceDisconnect(c);
    }
  }

  /** Stops the thread, closes the connection, fails what is queued. Never blocks. */
  void shutdown() {
    shut = true;
    usable = false;
    Connection c = conn;
    if (c != null) {
      Connections.forceDisconnect(c);
    }
    thread.interrupt();
    drainAndFail(closed());
  }

  void join(long millis) throws InterruptedException {
    thread.join(Math.max(1, millis));
  }

  boolean isOwnThread(Thread t) {
    return t == thread;
  }

  boolean isAlive() {
    return thread.isAlive();
  }

  private static BackplaneUnavailableException closed() {
    return new BackplaneUnavailableException("Redis backplane is closed");
  }

  private void drainAndFail(Throwable error) {
    Op op;
    while ((op = queue.pollFirst()) != null) {
      if (!(op instanceof Restart)) {
        queued.decrementAndGet();
      }
      op.failQuietly(error);
    }
  }

  // ---- the thread

  private void run() {
    List<Op> batch = new ArrayList<>(maxBatch);
    try {
      while (!shut) {
        Op first;
        try {
          first = queue.takeFirst();
        } catch (InterruptedException e) {
          continue; // shut is checked by the loop
        }
        if (first instanceof Restart) {
          restartNow((Restart) first);
          continue;
        }
        queued.decrementAndGet();
        batch.clear();
        batch.add(first);
        Op next;
        while (batch.size() < maxBatch && (next = queue.pollFirst()) != null) {
          if (next instanceof Restart) {
            queue.offerFirst(next);
            break;
          }
          queued.decrementAndGet();
          batch.add(next);
        }
        runBatch(batch);
      }
    } finally {
      usable = false;
      Connection c = conn;
      conn = null;
      if (c != null) {
        Connections.forceDisconnect(c);
      }
      drainAndFail(closed());
    }
  }

  private void runBatch(List<Op> batch) {
    Connection c = conn;
    if (shut || !usable || c == null) {
      BackplaneUnavailableException e = node.unavailable();
      for (Op op : batch) {
        op.failQuietly(e);
      }
      return;
    }
    int done = 0;
    try {
      List<Op> retry = execute(c, batch, true);
      done = batch.size();
      if (!retry.isEmpty()) {
        LOG.fine("Redis lost its script cache (NOSCRIPT); loading scripts again");
        loadScripts(c);
        execute(c, retry, false);
      }
    } catch (JedisConnectionException | ConnectionLevelError e) {
      usable = false;
      Connections.forceDisconnect(c);
      BackplaneUnavailableException failure =
          new BackplaneUnavailableException("Redis connection lost; delivery unknown", e);
      for (Op op : batch) {
        op.failQuietly(failure); // no-op for ops already completed
      }
      if (!shut) {
        node.failed(e);
      }
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "unexpected error running Redis commands", e);
      for (Op op : batch.subList(done, batch.size())) {
        op.failQuietly(e);
      }
    }
  }

  /**
   * Writes the ops as one pipeline and completes them from the replies.
   *
   * @return the ops that got NOSCRIPT (when {@code allowRetry}), to run again after loading the
   *     scripts
   */
  private List<Op> execute(Connection c, List<Op> ops, boolean allowRetry) {
    for (Op op : ops) {
      c.sendCommand(op.command());
    }
    List<Object> replies = c.getMany(ops.size());
    List<Op> retry = List.of();
    ConnectionLevelError connectionError = null;
    for (int i = 0; i < ops.size(); i++) {
      Op op = ops.get(i);
      Object reply = replies.get(i);
      if (reply instanceof JedisNoScriptException && allowRetry) {
        if (retry.isEmpty()) {
          retry = new ArrayList<>();
        }
        retry.add(op);
        continue;
      }
      if (reply instanceof JedisDataException) {
        JedisDataException error = (JedisDataException) reply;
        if (isRedirect(error) && node.redirected(op, error)) {
          continue;
        }
        if (isConnectionLevel(error)) {
          connectionError = new ConnectionLevelError(error);
        }
        op.failQuietly(
            new BackplaneUnavailableException("Redis refused the command: " + firstLine(error)));
        continue;
      }
      try {
        op.complete(reply);
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "could not read the Redis reply to " + op, e);
        op.failQuietly(
            new BackplaneUnavailableException("unexpected reply from Redis (see server log)", e));
      }
    }
    if (connectionError != null) {
      throw connectionError;
    }
    return retry;
  }

  /** Redis Cluster says the slot is served elsewhere, or is moving right now. */
  static boolean isRedirect(JedisDataException e) {
    return e instanceof JedisRedirectionException
        || String.valueOf(e.getMessage()).startsWith("TRYAGAIN");
  }

  /**
   * Errors after which this connection is useless: a replica, a loading server, lost auth, a
   * Cluster without an owner for the slot (a failover under way).
   */
  private static boolean isConnectionLevel(JedisDataException e) {
    String m = String.valueOf(e.getMessage());
    return m.startsWith("CLUSTERDOWN")
        || m.startsWith("READONLY")
        || m.startsWith("LOADING")
        || m.startsWith("MASTERDOWN")
        || m.startsWith("NOAUTH")
        || m.startsWith("WRONGPASS");
  }

  private static String firstLine(Throwable e) {
    String m = String.valueOf(e.getMessage());
    int nl = m.indexOf('\n');
    m = nl < 0 ? m : m.substring(0, nl);
    return m.length() > 200 ? m.substring(0, 200) : m;
  }

  private void restartNow(Restart r) {
    usable = false;
    Connection old = conn;
    conn = null;
    if (old != null) {
      Connections.forceDisconnect(old);
    }
    if (shut) {
      r.failQuietly(closed());
      return;
    }
    Connection c = null;
    try {
      c = node.open();
      conn = c;
      loadScripts(c);
      runPreamble(c, r.preamble);
      usable = !shut;
      r.future.complete(null);
    } catch (RuntimeException e) {
      if (c != null) {
        Connections.forceDisconnect(c);
      }
      conn = null;
      r.future.completeExceptionally(e);
    }
  }

  private static void loadScripts(Connection c) {
    Script[] scripts = {Script.PUBLISH, Script.READ, Script.FENCE};
    for (Script s : scripts) {
      c.sendCommand(
          new CommandArguments(Protocol.Command.SCRIPT).add(Protocol.Keyword.LOAD).add(s.source));
    }
    List<Object> replies = c.getMany(scripts.length);
    for (int i = 0; i < scripts.length; i++) {
      Object reply = replies.get(i);
      if (reply instanceof JedisDataException) {
        throw new ConnectionLevelError((JedisDataException) reply);
      }
      String sha = Wire.text(reply);
      if (!scripts[i].sha1.equals(sha)) {
        throw new IllegalStateException(
            "Redis returned SHA " + sha + " for " + scripts[i] + ", expected " + scripts[i].sha1);
      }
    }
  }

  private static void runPreamble(Connection c, List<Op> preamble) {
    if (preamble.isEmpty()) {
      return;
    }
    for (Op op : preamble) {
      c.sendCommand(op.command());
    }
    List<Object> replies = c.getMany(preamble.size());
    for (int i = 0; i < preamble.size(); i++) {
      Object reply = replies.get(i);
      if (reply instanceof JedisDataException) {
        if (isRedirect((JedisDataException) reply)) {
          continue; // the room moved on; its new node checks it when the room gets there
        }
        throw new ConnectionLevelError((JedisDataException) reply);
      }
      preamble.get(i).complete(reply);
    }
  }

  // ---- commands

  /** One queued command: exactly one request, one reply. */
  abstract static class Op {
    /** How often Redis Cluster redirected this op; the redirecting side bounds it. */
    int redirects;

    /** The room the op concerns, for re-routing a redirected op; {@code null} if none. */
    String room() {
      return null;
    }

    /** The command to send; called on the command thread. */
    abstract CommandArguments command();

    /** Handles the reply (never an error reply); called on the command thread. */
    abstract void complete(Object reply);

    /** Fails the command if not completed yet. */
    abstract void failQuietly(Throwable error);
  }

  /** Reconnect + load scripts + preamble; runs alone, ahead of the queue. */
  private static final class Restart extends Op {
    final List<Op> preamble;
    final CompletableFuture<Void> future = new CompletableFuture<>();

    Restart(List<Op> preamble) {
      this.preamble = preamble;
    }

    @Override
    CommandArguments command() {
      throw new UnsupportedOperationException();
    }

    @Override
    void complete(Object reply) {
      throw new UnsupportedOperationException();
    }

    @Override
    void failQuietly(Throwable error) {
      future.completeExceptionally(error);
    }
  }

  /** A Redis error reply that means the connection must be replaced. */
  static final class ConnectionLevelError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ConnectionLevelError(JedisDataException cause) {
      super("Redis: " + firstLine(cause), cause);
    }
  }
}
