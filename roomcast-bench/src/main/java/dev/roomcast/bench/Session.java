package dev.roomcast.bench;

import java.net.URI;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * A set of connections opened together for one scenario run, plus the publish and drain logic.
 *
 * <p>Every wait in here is bounded: a server that stalls or dies turns into reported loss or
 * connect failures, never into a hung benchmark.
 */
public final class Session {
  /** Where one connection goes and whether its deliveries count. */
  public record Spec(URI uri, int room, boolean counted) {}

  /** Outcome of one fixed-rate publish phase. */
  public record Publish(
      long published,
      long sendFailures,
      long expected,
      long[] publishedPerRoom,
      long startNanos,
      long endNanos) {}

  private final List<Member> members = Collections.synchronizedList(new ArrayList<>());
  private final LongAdder frames = new LongAdder();
  private final LongAdder system = new LongAdder();
  private final LongAdder errors = new LongAdder();
  private final LongAdder other = new LongAdder();
  private final LongAdder closed = new LongAdder();
  private volatile int attempted;
  private volatile double connectSeconds;
  private volatile boolean closing;
  private volatile Sink sink;

  private Session() {}

  /**
   * Opens all connections, at most {@code concurrency} handshakes in flight, and waits for each
   * welcome. Connections not established within {@code overall} count as failures.
   */
  public static Session open(
      ClientPool pool, List<Spec> specs, int concurrency, Duration perConnection, Duration overall)
      throws InterruptedException {
    Session s = new Session();
    s.connect(pool, specs, concurrency, perConnection, overall);
    return s;
  }

  /**
   * Opens more connections into this session, like {@link #open}. {@link #connectSeconds()} keeps
   * describing the first batch.
   */
  public void add(
      ClientPool pool, List<Spec> specs, int concurrency, Duration perConnection, Duration overall)
      throws InterruptedException {
    double first = connectSeconds;
    connect(pool, specs, concurrency, perConnection, overall);
    connectSeconds = first;
  }

  private void connect(
      ClientPool pool, List<Spec> specs, int concurrency, Duration perConnection, Duration overall)
      throws InterruptedException {
    attempted += specs.size();
    Semaphore permits = new Semaphore(concurrency);
    CountDownLatch done = new CountDownLatch(specs.size());
    AtomicLong lastWelcome = new AtomicLong();
    long start = System.nanoTime();
    long deadline = start + overall.toNanos();
    int issued = 0;
    for (int i = 0; i < specs.size(); i++) {
      Spec spec = specs.get(i);
      long left = deadline - System.nanoTime();
      if (left <= 0 || !permits.tryAcquire(left, NANOS)) {
        break;
      }
      issued++;
      ClientPool.Endpoint ep = pool.endpoint(i, specs.size(), spec.uri());
      Member m = new Member(this, ep.uri(), spec.room(), spec.counted());
      ep.client()
          .newWebSocketBuilder()
          .connectTimeout(perConnection)
          .buildAsync(ep.uri(), m)
          .thenCompose(ws -> m.welcome())
          .orTimeout(perConnection.toMillis() * 2, MS)
          .whenComplete(
              (v, e) -> {
                if (e == null) {
                  members.add(m);
                  lastWelcome.accumulateAndGet(System.nanoTime(), Math::max);
                } else {
                  abort(m);
                }
                permits.release();
                done.countDown();
              });
    }
    for (int i = issued; i < specs.size(); i++) {
      done.countDown(); // never attempted: the deadline passed
    }
    done.await(Math.max(1, deadline - System.nanoTime()) + perConnection.toNanos() * 2, NANOS);
    long end = lastWelcome.get() == 0 ? System.nanoTime() : lastWelcome.get();
    connectSeconds = (end - start) / 1e9;
  }

  /** How many messages {@link #publish} sends for a rate and duration. */
  public static int messageCount(double rate, double seconds) {
    return (int) Math.max(1, Math.round(rate * seconds));
  }

  private static final TimeUnit NANOS = TimeUnit.NANOSECONDS;
  private static final TimeUnit MS = TimeUnit.MILLISECONDS;

  void frameSeen() {
    frames.increment();
  }

  void systemSeen() {
    system.increment();
  }

  void errorSeen() {
    errors.increment();
  }

  void otherSeen() {
    other.increment();
  }

  void closedByServer() {
    if (!closing) {
      closed.increment();
    }
  }

  Sink sink() {
    return sink;
  }

  /** Connected members, in connection-completion order. */
  public List<Member> members() {
    synchronized (members) {
      return new ArrayList<>(members);
    }
  }

  /** Connections attempted. */
  public int attempted() {
    return attempted;
  }

  /** Connections that did not reach the welcome. */
  public int failures() {
    return attempted - members.size();
  }

  /** Seconds from the first connect attempt to the last welcome. */
  public double connectSeconds() {
    return connectSeconds;
  }

  /** All text frames received so far. */
  public long frames() {
    return frames.sum();
  }

  /** System frames (welcome, join, leave) received so far. */
  public long systemFrames() {
    return system.sum();
  }

  /** Error frames received so far. */
  public long errorFrames() {
    return errors.sum();
  }

  /** Connections the server closed or that failed while not closing ourselves. */
  public long closedByServerCount() {
    return closed.sum();
  }

  /** Starts a measured run: only frames carrying {@code sink.tag()} count from now on. */
  public void measure(Sink newSink) {
    for (Member m : members()) {
      m.resetReceived();
    }
    sink = newSink;
  }

  /**
   * Waits until no frame has arrived for {@code quiet}, at most {@code max}. Used after filling
   * rooms, whose join notices are O(N^2) on the peers, so the storm is not measured as latency.
   */
  public void awaitQuiet(Duration quiet, Duration max) {
    long deadline = System.nanoTime() + max.toNanos();
    long last = frames();
    long lastChange = System.nanoTime();
    while (System.nanoTime() < deadline) {
      sleepMillis(50);
      long now = frames();
      if (now != last) {
        last = now;
        lastChange = System.nanoTime();
      } else if (System.nanoTime() - lastChange >= quiet.toNanos()) {
        return;
      }
    }
  }

  /**
   * Publishes {@code round(rate * seconds)} messages on a fixed schedule, round-robin over the
   * senders. Each message carries its intended send time, so a late send (slow server,
   * backpressure, scheduler hiccup) shows up as latency instead of silently stretching the
   * schedule: this is what avoids coordinated omission.
   *
   * @param senders one sender per room, indexed by room
   * @param receiversPerRoom counted members per room: expected deliveries per message
   */
  public Publish publish(
      List<Member> senders,
      long[] receiversPerRoom,
      double rate,
      double seconds,
      String pad,
      Duration sendTimeout) {
    Sink s = sink;
    int n = senders.size();
    long count = messageCount(rate, seconds);
    double periodNanos = 1e9 / rate;
    List<CompletableFuture<WebSocket>> chains = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      chains.add(CompletableFuture.completedFuture(senders.get(i).socket()));
    }
    LongAdder published = new LongAdder();
    LongAdder failures = new LongAdder();
    LongAdder expected = new LongAdder();
    long[] perRoom = new long[receiversPerRoom.length];
    LongAdder[] perRoomAdders = new LongAdder[receiversPerRoom.length];
    for (int i = 0; i < perRoomAdders.length; i++) {
      perRoomAdders[i] = new LongAdder();
    }
    long t0 = System.nanoTime() + 20_000_000L; // small lead so message 0 is not already late
    for (long i = 0; i < count; i++) {
      long intended = t0 + (long) (i * periodNanos);
      long wait;
      while ((wait = intended - System.nanoTime()) > 0) {
        LockSupport.parkNanos(wait);
      }
      int k = (int) (i % n);
      Member sender = senders.get(k);
      String msg = Frame.publish(s.tag(), i, Clock.toMicros(intended), pad);
      // Chaining keeps at most one send outstanding per socket (the JDK rejects a second), while
      // the schedule above keeps running: a stalled send delays delivery, never the stamps.
      CompletableFuture<WebSocket> sent =
          chains
              .get(k)
              .thenCompose(ws -> ws.sendText(msg, true))
              .orTimeout(sendTimeout.toMillis(), MS);
      chains.set(k, sent);
      int room = sender.room();
      sent.whenComplete(
          (ws, e) -> {
            if (e == null) {
              published.increment();
              expected.add(receiversPerRoom[room]);
              perRoomAdders[room].increment();
            } else {
              failures.increment();
            }
          });
    }
    long end = System.nanoTime();
    try {
      CompletableFuture.allOf(chains.toArray(new CompletableFuture<?>[0]))
          .get(sendTimeout.toMillis(), MS);
    } catch (Exception e) {
      // failures are counted per message above
    }
    for (int i = 0; i < perRoom.length; i++) {
      perRoom[i] = perRoomAdders[i].sum();
    }
    return new Publish(published.sum(), failures.sum(), expected.sum(), perRoom, t0, end);
  }

  /**
   * Waits until {@code expected} deliveries were counted, or nothing new arrived for {@code quiet},
   * or {@code max} passed. Whatever is missing then is reported as loss.
   */
  public void drain(long expected, Duration quiet, Duration max) {
    Sink s = sink;
    long deadline = System.nanoTime() + max.toNanos();
    long last = -1;
    long lastChange = System.nanoTime();
    while (System.nanoTime() < deadline) {
      long now = s.delivered();
      if (now >= expected) {
        return;
      }
      if (now != last) {
        last = now;
        lastChange = System.nanoTime();
      } else if (System.nanoTime() - lastChange >= quiet.toNanos()) {
        return;
      }
      sleepMillis(20);
    }
  }

  /** Closes every connection: close handshake first, then abort whatever has not finished. */
  public void close(Duration grace) {
    closing = true;
    List<Member> ms = members();
    List<CompletableFuture<?>> fs = new ArrayList<>(ms.size());
    for (Member m : ms) {
      WebSocket ws = m.socket();
      if (ws != null) {
        try {
          fs.add(ws.sendClose(WebSocket.NORMAL_CLOSURE, "bench done"));
        } catch (RuntimeException e) {
          // already closed
        }
      }
    }
    try {
      CompletableFuture.allOf(fs.toArray(new CompletableFuture<?>[0])).get(grace.toMillis(), MS);
    } catch (Exception e) {
      // stalled (e.g. slow members' unsent close); abort below
    }
    for (Member m : ms) {
      abort(m);
    }
  }

  private static void abort(Member m) {
    WebSocket ws = m.socket();
    if (ws != null) {
      ws.abort();
    }
  }

  static void sleepMillis(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
