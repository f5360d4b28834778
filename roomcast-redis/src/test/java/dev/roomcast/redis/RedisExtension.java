package dev.roomcast.redis;

import dev.roomcast.BackoffPolicy;
import dev.roomcast.Hub;
import dev.roomcast.Limits;
import dev.roomcast.spi.BackplaneListener;
import dev.roomcast.spi.BackplaneNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One JUnit 5 extension for a test class's Redis: starts a real {@link RedisServer} before the
 * class (when the class asks for one), builds hubs and backplane nodes for its tests, closes them
 * after each test and stops the server after the class.
 *
 * <pre>{@code
 * @RegisterExtension static final RedisExtension redis = RedisExtension.ephemeral();
 *
 * @Test void t() {
 *   Hub a = redis.hub("a", redis.backplane().build());
 *   redis.server().kill();
 * }
 * }</pre>
 *
 * <p>Register it on a {@code static} field: the server is shared by the class's tests (one server
 * per class keeps the suite quick), the hubs and nodes are per test. A test that paused the server
 * has it resumed before the hubs close. Not for concurrent tests within a class.
 */
public final class RedisExtension
    implements BeforeAllCallback, AfterEachCallback, AfterAllCallback {
  private final Supplier<RedisServer> starter;
  private final int count;
  private final List<RedisServer> servers = new ArrayList<>();
  private RedisServer server;
  private final int clusterPrimaries;
  private RedisCluster cluster;
  private final List<AutoCloseable> perTest = new ArrayList<>();

  private RedisExtension(Supplier<RedisServer> starter) {
    this(starter, 1);
  }

  private RedisExtension(Supplier<RedisServer> starter, int count) {
    this(starter, count, 0);
  }

  private RedisExtension(Supplier<RedisServer> starter, int count, int clusterPrimaries) {
    this.starter = starter;
    this.count = count;
    this.clusterPrimaries = clusterPrimaries;
  }

  /** A Redis Cluster of {@code primaries} primaries, each with one replica. */
  public static RedisExtension cluster(int primaries) {
    return new RedisExtension(null, 0, primaries);
  }

  /** The class's Cluster. */
  public RedisCluster cluster() {
    if (cluster == null) {
      throw new IllegalStateException("this RedisExtension has no cluster (or is not static)");
    }
    return cluster;
  }

  /** {@code n} independent servers without persistence, e.g. for the sharded mode. */
  public static RedisExtension ephemeral(int n) {
    return new RedisExtension(RedisServer::start, n);
  }

  /** A server without persistence: a restart loses everything. */
  public static RedisExtension ephemeral() {
    return new RedisExtension(RedisServer::start);
  }

  /** A server with {@code appendonly yes, appendfsync always}: a restart loses nothing. */
  public static RedisExtension persistent() {
    return new RedisExtension(RedisServer::startPersistent);
  }

  /** No server: the tests start their own; the extension only closes their hubs and nodes. */
  public static RedisExtension withoutServer() {
    return new RedisExtension(null);
  }

  /** Reconnects quickly: 20 ms doubling to 200 ms. */
  public static BackoffPolicy quickBackoff() {
    return BackoffPolicy.builder()
        .initialDelay(Duration.ofMillis(20))
        .maxDelay(Duration.ofMillis(200))
        .build();
  }

  /** Always waits exactly {@code delay} before reconnecting. */
  public static BackoffPolicy fixedBackoff(Duration delay) {
    return BackoffPolicy.builder()
        .initialDelay(delay)
        .maxDelay(delay)
        .jitter(BackoffPolicy.Jitter.NONE)
        .build();
  }

  /** A backplane builder for {@code redis} that reconnects quickly. */
  public static RedisBackplane.Builder backplane(RedisServer redis) {
    return RedisBackplane.builder().uri(redis.uri()).backoff(quickBackoff());
  }

  /** The class's servers, in start order (the first is {@link #server()}). */
  public List<RedisServer> servers() {
    return List.copyOf(servers);
  }

  /** The URLs of {@link #servers()}, in order. */
  public List<String> uris() {
    return servers.stream().map(RedisServer::uri).toList();
  }

  /** The class's (first) server. */
  public RedisServer server() {
    if (server == null) {
      throw new IllegalStateException("this RedisExtension has no server (or is not static)");
    }
    return server;
  }

  /** A backplane builder for the class's server that reconnects quickly. */
  public RedisBackplane.Builder backplane() {
    return backplane(server());
  }

  /** A hub on {@code backplane} with publish limits out of the way; closed after the test. */
  public Hub hub(String nodeId, RedisBackplane backplane) {
    Hub h =
        Hub.builder()
            .nodeId(nodeId)
            .backplane(backplane)
            .limits(Limits.defaults().withPublishRate(100_000, 100_000))
            .build();
    perTest.add(h);
    return h;
  }

  /** A node of {@code backplane}, for SPI-level tests; closed after the test. */
  public BackplaneNode attach(RedisBackplane backplane, String nodeId, BackplaneListener l) {
    BackplaneNode n = backplane.attach(nodeId, l);
    perTest.add(n);
    return n;
  }

  /** Closes the test's hubs and nodes now (a test that measures closing). */
  public void closeAll() {
    for (RedisServer s : servers) {
      if (s.isRunning()) {
        s.resume(); // a frozen server would make every close wait for its timeouts
      }
    }
    for (int i = perTest.size() - 1; i >= 0; i--) {
      try {
        perTest.get(i).close();
      } catch (Exception e) {
        throw new IllegalStateException("closing " + perTest.get(i), e);
      }
    }
    perTest.clear();
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    if (clusterPrimaries > 0) {
      cluster = RedisCluster.start(clusterPrimaries);
      servers.addAll(cluster.servers());
      server = servers.get(0);
    }
    if (starter != null) {
      for (int i = 0; i < count; i++) {
        servers.add(starter.get());
      }
      server = servers.get(0);
    }
  }

  @Override
  public void afterEach(ExtensionContext context) {
    closeAll();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    closeAll();
    servers.forEach(RedisServer::close);
    servers.clear();
    cluster = null;
    server = null;
  }
}
