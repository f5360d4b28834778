package dev.roomcast.bench;

import java.lang.reflect.Method;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The shared {@link HttpClient}s and executor behind every harness connection.
 *
 * <p>One client and one small executor serve all connections: the JDK client multiplexes every
 * socket over a single selector thread, so the harness costs a few threads, not one per connection.
 * Only when a run needs more connections than one loopback source address has ephemeral ports for
 * (~28k on Linux's default 32768-60999 range) are they spread over extra 127.0.0.x addresses, one
 * client per address. {@code HttpClient.Builder.localAddress} only exists from JDK 19, so it is
 * looked up reflectively; on JDK 17 the harness spreads over destination addresses instead
 * (127.0.0.x all reach a server bound to the wildcard or loopback range).
 */
public final class ClientPool implements AutoCloseable {
  private static final Method LOCAL_ADDRESS = lookupLocalAddress();

  private final ExecutorService executor;
  private final HttpClient defaultClient;
  private final Map<Integer, HttpClient> bound = new ConcurrentHashMap<>();
  private final int perAddress;
  private final AtomicBoolean warned = new AtomicBoolean();

  /** A client and the URI it should dial for one connection. */
  public record Endpoint(HttpClient client, URI uri) {}

  /**
   * @param threads executor threads shared by all connections (listener callbacks run there)
   * @param perAddress most connections one loopback address should carry
   */
  public ClientPool(int threads, int perAddress) {
    AtomicInteger n = new AtomicInteger();
    ThreadFactory tf =
        r -> {
          Thread t = new Thread(r, "bench-io-" + n.incrementAndGet());
          t.setDaemon(true);
          return t;
        };
    // threads == 0: run callbacks on the client's selector thread itself (no hand-offs)
    this.executor = threads > 0 ? Executors.newFixedThreadPool(threads, tf) : new DirectExecutor();
    this.perAddress = perAddress;
    this.defaultClient = builder().build();
  }

  private HttpClient.Builder builder() {
    return HttpClient.newBuilder().executor(executor).connectTimeout(Duration.ofSeconds(10));
  }

  /** True when this JDK can bind client sockets to a chosen source address. */
  public static boolean sourceAddressSupported() {
    return LOCAL_ADDRESS != null;
  }

  /**
   * Chooses client and URI for connection {@code index} of {@code total} opened together.
   *
   * @param target where the server listens
   */
  public Endpoint endpoint(int index, int total, URI target) {
    if (total <= perAddress) {
      return new Endpoint(defaultClient, target);
    }
    int chunk = index / perAddress; // 0, 1, 2, ...
    if (LOCAL_ADDRESS != null) {
      return new Endpoint(bound.computeIfAbsent(chunk, this::boundClient), target);
    }
    if (warned.compareAndSet(false, true)) {
      System.err.println(
          "note: JDK "
              + Runtime.version().feature()
              + " has no HttpClient.Builder.localAddress; spreading "
              + total
              + " connections over destination addresses 127.0.0.1.."
              + (1 + (total - 1) / perAddress));
    }
    return new Endpoint(defaultClient, withHost(target, "127.0.0." + (1 + chunk)));
  }

  private HttpClient boundClient(int chunk) {
    try {
      InetAddress local = InetAddress.getByName("127.0.0." + (2 + chunk));
      HttpClient.Builder b = builder();
      return ((HttpClient.Builder) LOCAL_ADDRESS.invoke(b, local)).build();
    } catch (ReflectiveOperationException | UnknownHostException e) {
      throw new IllegalStateException("cannot bind to 127.0.0." + (2 + chunk), e);
    }
  }

  static URI withHost(URI u, String host) {
    try {
      return new URI(u.getScheme(), null, host, u.getPort(), u.getPath(), null, null);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(e);
    }
  }

  private static Method lookupLocalAddress() {
    try {
      return HttpClient.Builder.class.getMethod("localAddress", InetAddress.class);
    } catch (NoSuchMethodException e) {
      return null;
    }
  }

  /** Runs every task on the submitting thread; lets {@code --threads 0} skip hand-offs. */
  private static final class DirectExecutor extends java.util.concurrent.AbstractExecutorService {
    private volatile boolean shutdown;

    @Override
    public void execute(Runnable command) {
      command.run();
    }

    @Override
    public void shutdown() {
      shutdown = true;
    }

    @Override
    public java.util.List<Runnable> shutdownNow() {
      shutdown = true;
      return java.util.List.of();
    }

    @Override
    public boolean isShutdown() {
      return shutdown;
    }

    @Override
    public boolean isTerminated() {
      return shutdown;
    }

    @Override
    public boolean awaitTermination(long timeout, java.util.concurrent.TimeUnit unit) {
      return true;
    }
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
