package dev.roomcast.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import redis.clients.jedis.Jedis;

/**
 * A real {@code redis-server} process for tests, on a free port of 127.0.0.1, with its own
 * temporary directory. Never touches the machine's Redis.
 *
 * <pre>{@code
 * try (RedisServer redis = RedisServer.start()) {            // no persistence
 *   RedisBackplane bp = RedisBackplane.fromUrl(redis.uri());
 *   ...
 *   redis.kill();      // SIGKILL, like a crash
 *   redis.restart();   // same port, same directory
 * }
 * }</pre>
 *
 * <p>{@link #startPersistent()} runs with {@code appendonly yes, appendfsync always}, so a killed
 * and restarted server keeps every acknowledged write. The binary is {@code redis-server} from the
 * PATH, or {@code $REDIS_SERVER}. Servers still running when the JVM exits are killed.
 *
 * <p>Thread-safe enough for tests: lifecycle methods are synchronized.
 */
public final class RedisServer implements AutoCloseable {
  private static final Set<RedisServer> RUNNING = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  for (RedisServer s : RUNNING) {
                    s.destroy();
                  }
                },
                "redis-server-reaper"));
  }

  private final boolean persistent;
  private final String password;
  private final List<String> extraArgs;
  private final Path dir;
  private int port;
  private Process process;

  private RedisServer(boolean persistent, String password, List<String> extraArgs, int port) {
    this.port = port;
    this.persistent = persistent;
    this.password = password;
    this.extraArgs = List.copyOf(extraArgs);
    try {
      this.dir = Files.createTempDirectory("roomcast-redis-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Starts a server without persistence: a restart loses everything. */
  public static RedisServer start() {
    return builder().start();
  }

  /** Starts a server with an append-only file fsynced on every write: a restart loses nothing. */
  public static RedisServer startPersistent() {
    return builder().persistent(true).start();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The port (stays the same across restarts). */
  public synchronized int port() {
    return port;
  }

  public String host() {
    return "127.0.0.1";
  }

  /** {@code redis://127.0.0.1:<port>} (with the password when one was set). */
  public String uri() {
    return "redis://" + (password != null ? ":" + password + "@" : "") + host() + ":" + port();
  }

  /** The server's working directory (AOF, log). */
  public Path dir() {
    return dir;
  }

  public synchronized boolean isRunning() {
    return process != null && process.isAlive();
  }

  /** Kills the server with SIGKILL (a crash: nothing is saved beyond what AOF already has). */
  public synchronized void kill() {
    if (process == null) {
      return;
    }
    resume(); // a stopped process still dies from SIGKILL, but be tidy
    process.destroyForcibly();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        throw new IllegalStateException("redis-server did not die");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    RUNNING.remove(this);
    process = null;
  }

  /** Starts the server again on the same port with the same directory, and waits for PING. */
  public synchronized void restart() {
    if (isRunning()) {
      kill();
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    RuntimeException last = null;
    while (System.nanoTime() < deadline) {
      try {
        launch(port);
        return;
      } catch (RuntimeException e) {
        last = e; // the port may linger for a moment
        sleep(100);
      }
    }
    throw new IllegalStateException("could not restart redis-server on port " + port, last);
  }

  /** Freezes the server (SIGSTOP): connections stay open but nothing answers — a half-open peer. */
  public synchronized void pause() {
    signal("-STOP");
  }

  /** Unfreezes a paused server (SIGCONT). */
  public synchronized void resume() {
    signal("-CONT");
  }

  /** A new client connection for assertions; close it. */
  public Jedis client() {
    Jedis j = new Jedis(host(), port(), 5000);
    if (password != null) {
      j.auth(password);
    }
    return j;
  }

  /** Subscribers of a channel right now ({@code PUBSUB NUMSUB}). */
  public long numsub(String channel) {
    try (Jedis j = client()) {
      return j.pubsubNumSub(channel).getOrDefault(channel, 0L);
    }
  }

  /**
   * Closes (CLIENT KILL) every client connection whose name is {@code name}, e.g. {@code
   * roomcast-<nodeId>-sub} for one node's subscriber connection.
   *
   * @return how many were closed
   */
  public int killClients(String name) {
    int killed = 0;
    try (Jedis j = client()) {
      for (String line : j.clientList().split("\n")) {
        String id = null;
        String n = null;
        for (String field : line.trim().split(" ")) {
          if (field.startsWith("id=")) {
            id = field.substring(3);
          } else if (field.startsWith("name=")) {
            n = field.substring(5);
          }
        }
        if (id != null && name.equals(n)) {
          j.clientKill(redis.clients.jedis.params.ClientKillParams.clientKillParams().id(id));
          killed++;
        }
      }
    }
    return killed;
  }

  /** Kills the server and deletes its directory. */
  @Override
  public synchronized void close() {
    kill();
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // best effort
    }
  }

  @Override
  public String toString() {
    return "RedisServer{port=" + port + (persistent ? ", aof" : "") + "}";
  }

  // ---- internals

  private synchronized RedisServer startFresh() {
    if (port != 0) {
      restart();
      return this;
    }
    RuntimeException last = null;
    for (int attempt = 0; attempt < 5; attempt++) {
      try {
        launch(freePort());
        return this;
      } catch (RuntimeException e) {
        last = e; // someone took the port between our probe and redis' bind
      }
    }
    throw last;
  }

  private void launch(int p) {
    List<String> cmd = new ArrayList<>();
    String bin = System.getenv().getOrDefault("REDIS_SERVER", "redis-server");
    cmd.add(bin);
    cmd.add("--port");
    cmd.add(Integer.toString(p));
    cmd.add("--bind");
    cmd.add("127.0.0.1");
    cmd.add("--dir");
    cmd.add(dir.toString());
    cmd.add("--logfile");
    cmd.add(dir.resolve("redis.log").toString());
    cmd.add("--daemonize");
    cmd.add("no");
    cmd.add("--save");
    cmd.add("");
    cmd.add("--appendonly");
    cmd.add(persistent ? "yes" : "no");
    if (persistent) {
      cmd.add("--appendfsync");
      cmd.add("always");
    }
    if (password != null) {
      cmd.add("--requirepass");
      cmd.add(password);
    }
    cmd.addAll(extraArgs);
    Process proc;
    try {
      proc =
          new ProcessBuilder(cmd)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
    } catch (IOException e) {
      throw new IllegalStateException(
          "cannot run " + bin + " (install redis-server or set REDIS_SERVER)", e);
    }
    this.port = p;
    this.process = proc;
    RUNNING.add(this);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    while (System.nanoTime() < deadline) {
      if (!proc.isAlive()) {
        RUNNING.remove(this);
        process = null;
        throw new IllegalStateException(
            "redis-server exited (code " + proc.exitValue() + "): " + logTail());
      }
      if (pings(p)) {
        return;
      }
      sleep(20);
    }
    proc.destroyForcibly();
    RUNNING.remove(this);
    process = null;
    throw new IllegalStateException("redis-server did not answer PING: " + logTail());
  }

  private boolean pings(int p) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(host(), p), 500);
      s.setSoTimeout(1000);
      OutputStream out = s.getOutputStream();
      String cmd =
          (password != null ? "AUTH " + password + "\r\n" : "")
              + "PING\r\n"; // with AOF, PING answers -LOADING until the data is back
      out.write(cmd.getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = s.getInputStream();
      byte[] buf = new byte[256];
      StringBuilder sb = new StringBuilder();
      int expectedLines = password != null ? 2 : 1;
      while (sb.chars().filter(c -> c == '\n').count() < expectedLines) {
        int n = in.read(buf);
        if (n < 0) {
          return false;
        }
        sb.append(new String(buf, 0, n, StandardCharsets.US_ASCII));
      }
      return sb.toString().endsWith("+PONG\r\n");
    } catch (IOException e) {
      return false;
    }
  }

  private void signal(String sig) {
    if (process == null || !process.isAlive()) {
      return;
    }
    try {
      Process k = new ProcessBuilder("kill", sig, Long.toString(process.pid())).start();
      k.waitFor(5, TimeUnit.SECONDS);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void destroy() {
    Process p = process;
    if (p != null) {
      p.destroyForcibly();
    }
  }

  private String logTail() {
    try {
      List<String> lines = Files.readAllLines(dir.resolve("redis.log"));
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 10), lines.size()));
    } catch (IOException e) {
      return "(no log)";
    }
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      s.setReuseAddress(true);
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Options for a {@link RedisServer}. */
  public static final class Builder {
    private boolean persistent;
    private String password;
    private final List<String> extraArgs = new ArrayList<>();
    private int port;

    private Builder() {}

    /** A fixed port (default: a free one), e.g. one a client is already trying to reach. */
    public Builder port(int port) {
      this.port = port;
      return this;
    }

    /** A port that was free a moment ago, for {@link #port(int)}. */
    public static int freePort() {
      return RedisServer.freePort();
    }

    /** Append-only file with {@code appendfsync always} (default off: no persistence at all). */
    public Builder persistent(boolean persistent) {
      this.persistent = persistent;
      return this;
    }

    /** Require this password ({@code requirepass}). */
    public Builder password(String password) {
      this.password = password;
      return this;
    }

    /** More {@code redis-server} arguments, e.g. {@code "--maxmemory", "10mb"}. */
    public Builder args(String... args) {
      extraArgs.addAll(List.of(args));
      return this;
    }

    public RedisServer start() {
      return new RedisServer(persistent, password, extraArgs, port).startFresh();
    }
  }
}
