package dev.roomcast.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A server under test started by the harness as its own child process, so its pid (for {@code
 * /proc} CPU and RSS) is known exactly and it can never outlive the harness.
 */
public final class ServerProcess implements AutoCloseable {
  private static final Set<ServerProcess> LIVE = ConcurrentHashMap.newKeySet();

  static {
    // Children die with the harness even on Ctrl-C; destroyForcibly because a server stuck in a
    // broadcast loop may ignore SIGTERM for a long time.
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  for (ServerProcess p : LIVE) {
                    p.kill();
                  }
                },
                "bench-kill-servers"));
  }

  private final String name;
  private final Process process;
  private final int port;
  private final Path log;

  private ServerProcess(String name, Process process, int port, Path log) {
    this.name = name;
    this.process = process;
    this.port = port;
    this.log = log;
  }

  /**
   * Starts {@code command} in {@code dir} with {@code PORT} (and {@code env}) set, then waits until
   * the port accepts connections and, when {@code health} is a path, until it answers 200 there
   * (Spring Boot listens a while before its context is ready for load).
   *
   * @throws IOException if the port is already taken, the process exits, or it is not ready in time
   */
  public static ServerProcess start(
      String name,
      List<String> command,
      Path dir,
      Map<String, String> env,
      int port,
      Path logDir,
      Duration readyTimeout,
      String health)
      throws IOException {
    if (portOpen(port)) {
      // measuring whatever already listens there would silently report the wrong server
      throw new IOException("port " + port + " is already in use");
    }
    Files.createDirectories(logDir);
    Path log = logDir.resolve(name + "-" + port + ".log");
    ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
    pb.environment().putAll(env);
    pb.environment().put("PORT", Integer.toString(port));
    // a file, not a pipe: a server logging every join must never block on a full pipe
    pb.redirectErrorStream(true).redirectOutput(log.toFile());
    Process p = pb.start();
    ServerProcess sp = new ServerProcess(name, p, port, log);
    LIVE.add(sp);
    long deadline = System.nanoTime() + readyTimeout.toNanos();
    while (!portOpen(port) || (health != null && !healthy(port, health))) {
      if (!p.isAlive()) {
        sp.close();
        throw new IOException(
            name + " exited with " + p.exitValue() + " before listening; " + tail(log));
      }
      if (System.nanoTime() > deadline) {
        sp.close();
        throw new IOException(name + " not listening on " + port + " after " + readyTimeout);
      }
      Session.sleepMillis(100);
    }
    return sp;
  }

  /**
   * First port at or above {@code from} that nothing listens on and that can be bound, trying at
   * most {@code span} ports. Other builds on a shared machine may run peers on the usual ports.
   */
  public static int firstFreePort(int from, int span) throws IOException {
    for (int p = from; p < from + span && p < 65536; p++) {
      if (portOpen(p)) {
        continue;
      }
      try (java.net.ServerSocket ss = new java.net.ServerSocket()) {
        ss.bind(new InetSocketAddress(p));
        return p;
      } catch (IOException busy) {
        // taken on another address; keep looking
      }
    }
    throw new IOException("no free port in " + from + ".." + (from + span - 1));
  }

  private static boolean healthy(int port, String path) {
    try {
      var c =
          (java.net.HttpURLConnection)
              URI.create("http://127.0.0.1:" + port + path).toURL().openConnection();
      c.setConnectTimeout(500);
      c.setReadTimeout(2000);
      try {
        return c.getResponseCode() == 200;
      } finally {
        c.disconnect();
      }
    } catch (IOException e) {
      return false;
    }
  }

  static boolean portOpen(int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 500);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static String tail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log);
      return "log tail: "
          + String.join(" | ", lines.subList(Math.max(0, lines.size() - 5), lines.size()));
    } catch (IOException e) {
      return "no log";
    }
  }

  /** Name given at start. */
  public String name() {
    return name;
  }

  /** Process id of the server (root of the measured process tree). */
  public long pid() {
    return process.pid();
  }

  /** The WebSocket base URI, {@code ws://127.0.0.1:PORT}. */
  public URI uri() {
    return URI.create("ws://127.0.0.1:" + port);
  }

  /** True while the process runs. */
  public boolean alive() {
    return process.isAlive();
  }

  /** The file receiving the server's stdout and stderr. */
  public Path log() {
    return log;
  }

  private void kill() {
    ProcessHandle h = process.toHandle();
    h.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
  }

  /** Terminates the server (SIGTERM, then SIGKILL after 5 s) and its descendants. */
  @Override
  public void close() {
    try {
      var kids = process.toHandle().descendants().toList();
      process.destroy();
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(5, TimeUnit.SECONDS);
      }
      kids.forEach(ProcessHandle::destroyForcibly);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      kill();
    } finally {
      LIVE.remove(this);
    }
  }
}
