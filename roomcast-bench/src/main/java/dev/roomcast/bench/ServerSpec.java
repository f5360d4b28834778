package dev.roomcast.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How to start one kind of server under test, or why it cannot be started on this machine.
 *
 * @param name label (node-ws, seed-python, vertx, go-gorilla, spring-boot, floor, roomcast)
 * @param command argv, run without a shell so the child's pid is the server's pid
 * @param dir working directory
 * @param env extra environment (PORT is added per instance)
 * @param port port of the first instance; a second instance uses {@code port + 100}
 * @param pairEnv env that turns two instances into one cluster (redis scenario); null if the server
 *     has no backplane
 * @param unavailable null when startable, else the reason it is skipped
 * @param health HTTP path that answers 200 once the server is ready for load, or null when an open
 *     port is enough (seed-python's {@code /health} is broken, see the peers' README)
 */
public record ServerSpec(
    String name,
    List<String> command,
    Path dir,
    Map<String, String> env,
    int port,
    Map<String, String> pairEnv,
    String unavailable,
    String health) {

  /** Builds the spec for a known server name from the options. */
  public static ServerSpec of(String name, BenchConfig cfg) {
    int base = cfg.integer("port-base");
    return switch (name) {
      case "seed-python" -> seedPython(cfg, base);
      case "node-ws" -> nodeWs(cfg, base + 1);
      case "roomcast" -> roomcast(cfg, base + 2);
      case "vertx" -> builtJar(cfg, name, "target/peer-vertx.jar", Map.of(), base + 3);
      case "go-gorilla" -> goGorilla(cfg, base + 4);
      case "spring-boot" ->
          builtJar(cfg, name, "target/peer-spring-boot.jar", cfg.env("spring-env"), base + 5);
      case "floor" -> floor(cfg, base + 6);
      default ->
          throw new IllegalArgumentException(
              "unknown server "
                  + name
                  + " (node-ws, seed-python, vertx, go-gorilla, spring-boot, floor, roomcast;"
                  + " or use --url)");
    };
  }

  /** {@code java <jvm-flags>}: every JVM under test runs with the same container-sized flags. */
  private static List<String> java(BenchConfig cfg) {
    List<String> cmd = new ArrayList<>(List.of(cfg.str("java")));
    if (!cfg.str("jvm-flags").isBlank()) {
      cmd.addAll(split(cfg.str("jvm-flags")));
    }
    return cmd;
  }

  private static List<String> split(String command) {
    return List.of(command.trim().split("\\s+"));
  }

  /** A JVM peer built by bench/run.sh in its scratch copy under {@code --peer-builds}. */
  private static ServerSpec builtJar(
      BenchConfig cfg, String name, String jar, Map<String, String> env, int port) {
    Path dir = Path.of(cfg.str("peer-builds"), name).toAbsolutePath().normalize();
    List<String> cmd = java(cfg);
    cmd.addAll(List.of("-jar", jar));
    return new ServerSpec(name, cmd, dir, env, port, null, notBuilt(dir.resolve(jar)), "/health");
  }

  private static ServerSpec goGorilla(BenchConfig cfg, int port) {
    Path dir = Path.of(cfg.str("peer-builds"), "go-gorilla").toAbsolutePath().normalize();
    Path bin = dir.resolve("peer-gorilla");
    return new ServerSpec(
        "go-gorilla", List.of(bin.toString()), dir, Map.of(), port, null, notBuilt(bin), "/health");
  }

  private static String notBuilt(Path artifact) {
    return Files.isRegularFile(artifact)
        ? null
        : "no " + artifact + " (bench/run.sh builds it; its build log says why it did not)";
  }

  /** The loopback floor: the harness's own minimal NIO server, from the harness's own jar. */
  private static ServerSpec floor(BenchConfig cfg, int port) {
    String why = null;
    Path jar = null;
    try {
      jar = Path.of(BenchMain.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (java.net.URISyntaxException | RuntimeException e) {
      why = "cannot locate the harness jar: " + e;
    }
    if (jar != null && !Files.isRegularFile(jar)) {
      why = "the harness does not run from a jar (" + jar + "): build roomcast-bench.jar";
    }
    List<String> cmd = java(cfg);
    cmd.addAll(List.of("-cp", String.valueOf(jar), "dev.roomcast.bench.floor.FloorServer"));
    return new ServerSpec(
        "floor", cmd, Path.of("").toAbsolutePath(), Map.of(), port, null, why, "/health");
  }

  private static ServerSpec seedPython(BenchConfig cfg, int port) {
    Path dir = Path.of(cfg.str("peers-dir"), "seed-python").toAbsolutePath().normalize();
    String why = null;
    if (!Files.isRegularFile(dir.resolve("server.py"))) {
      why = "no " + dir.resolve("server.py") + " (set --peers-dir)";
    } else if (!pythonHasWebsockets(cfg.str("python"))) {
      why = "python module 'websockets' missing: apt-get install -y python3-websockets";
    }
    return new ServerSpec(
        "seed-python",
        List.of(cfg.str("python"), "server.py"),
        dir,
        Map.of(),
        port,
        null,
        why,
        null);
  }

  private static ServerSpec nodeWs(BenchConfig cfg, int port) {
    Path dir = Path.of(cfg.str("node-dir")).toAbsolutePath().normalize();
    String why = null;
    if (!Files.isDirectory(dir.resolve("node_modules/ws"))) {
      why =
          "no "
              + dir.resolve("node_modules/ws")
              + ": copy peers/node-ws there and run npm install (bench/run.sh does this)";
    }
    return new ServerSpec(
        "node-ws",
        List.of(cfg.str("node"), "server.mjs"),
        dir,
        Map.of(),
        port,
        null,
        why,
        "/health");
  }

  private static ServerSpec roomcast(BenchConfig cfg, int port) {
    List<String> cmd;
    if (cfg.str("roomcast-cmd").isBlank()) {
      cmd = java(cfg);
      cmd.addAll(List.of("-jar", "roomcast-example/target/roomcast-example.jar"));
    } else {
      cmd = new ArrayList<>(split(cfg.str("roomcast-cmd")));
    }
    Path dir = Path.of("").toAbsolutePath();
    String why = null;
    for (String a : cmd) {
      if (a.endsWith(".jar") && !Files.isRegularFile(dir.resolve(a))) {
        why =
            a
                + " not found (build it: ./mvnw -q -pl roomcast-example -am package -DskipTests;"
                + " or pass --roomcast-cmd)";
      }
    }
    Map<String, String> pair = cfg.env("redis-env");
    return new ServerSpec(
        "roomcast",
        cmd,
        dir,
        cfg.env("roomcast-env"),
        port,
        pair.isEmpty() ? null : pair,
        why,
        "/health");
  }

  private static boolean pythonHasWebsockets(String python) {
    try {
      Process p =
          new ProcessBuilder(python, "-c", "import websockets")
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      return p.waitFor(20, java.util.concurrent.TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (Exception e) {
      return false;
    }
  }

  /** Env for one instance of a two-instance cluster. */
  public Map<String, String> envForPair() {
    Map<String, String> e = new LinkedHashMap<>(env);
    if (pairEnv != null) {
      e.putAll(pairEnv);
    }
    return e;
  }
}
