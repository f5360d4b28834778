package dev.roomcast.bench;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Entry point: starts each server under test as a child process, warms it up, runs the selected
 * scenarios N times, prints medians with ratios and writes CSV, JSON and a PNG plot.
 *
 * <p>{@code java -jar roomcast-bench.jar --help} lists the options; {@code java -jar
 * roomcast-bench.jar jmh ...} hands over to the JMH runner for benchmarks in {@code
 * dev.roomcast.bench.jmh}.
 */
public final class BenchMain {
  private BenchMain() {}

  /** Runs the harness; exits non-zero on bad options or when nothing could be measured. */
  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("jmh")) {
      if (BenchMain.class.getResource("/META-INF/BenchmarkList") == null) {
        System.err.println("no JMH benchmarks in this jar yet: add them to dev.roomcast.bench.jmh");
        System.exit(1);
      }
      String[] rest = new String[args.length - 1];
      System.arraycopy(args, 1, rest, 0, rest.length);
      org.openjdk.jmh.Main.main(rest);
      return;
    }
    tuneJdkClient();
    Clock.micros(); // fix the time base now, not at the first publish
    BenchConfig cfg;
    try {
      cfg = BenchConfig.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.exit(2);
      return;
    }
    System.exit(new BenchMain.Driver(cfg).run());
  }

  /**
   * Shrinks the JDK WebSocket's per-connection buffers before the client classes load: the default
   * 16 KiB write buffer per socket would cost ~240 MB of harness heap for the 15,000-socket idle
   * scenario, and our frames are tiny. Explicit -D settings win.
   */
  private static void tuneJdkClient() {
    System.setProperty(
        "jdk.httpclient.websocket.writeBufferSize",
        System.getProperty("jdk.httpclient.websocket.writeBufferSize", "4096"));
    System.setProperty(
        "jdk.httpclient.websocket.intermediateBufferSize",
        System.getProperty("jdk.httpclient.websocket.intermediateBufferSize", "4096"));
  }

  /** Runs servers x scenarios x repetitions and reports. */
  static final class Driver {
    private final BenchConfig cfg;
    private final Results results = new Results();

    Driver(BenchConfig cfg) {
      this.cfg = cfg;
    }

    int run() throws IOException, InterruptedException {
      Path out =
          Path.of(cfg.str("out"))
              .resolve(LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
      Files.createDirectories(out);
      Path logs = out.resolve("logs");
      List<String> scenarios = cfg.list("scenarios");
      for (String s : scenarios) {
        if (!Scenarios.ALL.contains(s)) {
          System.err.println("unknown scenario " + s + "; known: " + Scenarios.ALL);
          return 2;
        }
        results.scenario(s);
      }
      List<ServerSpec> specs = new ArrayList<>();
      boolean external = !cfg.str("url").isBlank();
      if (!external) {
        for (String name : cfg.list("servers")) {
          ServerSpec spec = ServerSpec.of(name, cfg);
          results.server(name);
          if (spec.unavailable() != null) {
            System.out.println("skip " + name + ": " + spec.unavailable());
            results.note(name, null, "skipped: " + spec.unavailable());
          } else {
            specs.add(spec);
          }
        }
      } else {
        results.server(cfg.str("name"));
      }
      int reps = cfg.integer("reps");
      System.out.printf(
          "roomcast-bench: %s mode, %d rep(s), scenarios %s, results in %s%n",
          cfg.quick() ? "quick" : "full", reps, scenarios, out);
      warnUlimit();
      try (ClientPool pool = new ClientPool(cfg.integer("threads"), cfg.integer("per-address"))) {
        Scenarios sc = new Scenarios(cfg, pool);
        // scenario-major order: all servers see a scenario close together in time, which is
        // what makes ratios meaningful on a shared, noisy machine
        for (String scenario : scenarios) {
          if (external) {
            runExternal(sc, scenario, reps);
          } else {
            for (ServerSpec spec : specs) {
              runManaged(sc, spec, scenario, reps, logs);
            }
          }
        }
      }
      Report report = new Report(results, external ? cfg.str("name") : cfg.str("subject"));
      report.printTable(System.out, reps);
      report.writeCsv(out);
      report.writeJson(out, cfg.all(), environment());
      try {
        KeyFigures key = new KeyFigures(results, external ? cfg.str("name") : cfg.str("subject"));
        key.print(System.out, reps);
        key.writeMarkdown(out, reps);
      } catch (IOException | RuntimeException e) {
        // the raw results are on disk already; a table bug must not cost a long run
        System.out.println("key figures failed: " + e);
      }
      try {
        Path png = out.resolve("sweep.png");
        if (Plot.write(Plot.sweep(results), cfg.dbl("rate"), png)) {
          System.out.println("plot: " + png);
        } else {
          System.out.println("plot: none (needs the sweep scenario)");
        }
      } catch (IOException | RuntimeException | Error e) {
        System.out.println("plot failed: " + e);
      }
      System.out.println("results: " + out);
      return results.reps().isEmpty() ? 1 : 0;
    }

    private void runManaged(Scenarios sc, ServerSpec spec, String scenario, int reps, Path logs)
        throws InterruptedException {
      boolean pair = scenario.equals("redis");
      if (pair && spec.pairEnv() == null) {
        String why =
            spec.name().equals("roomcast")
                ? "needs --redis-env (e.g. the env pointing both instances at one Redis)"
                : "peer has no backplane; a room split over two instances cannot be measured";
        System.out.println("skip " + spec.name() + "/redis: " + why);
        results.note(spec.name(), scenario, "skipped: " + why);
        return;
      }
      // idle measures RSS growth, which only means something on a fresh process: a reused one
      // keeps freed memory in its allocator, so the next repetition would read ~0 per socket
      boolean freshPerRep = scenario.equals("idle");
      int rep = 1;
      while (rep <= reps) {
        int until = freshPerRep ? rep : reps;
        List<ServerProcess> procs = new ArrayList<>();
        try {
          Map<String, String> env = pair ? spec.envForPair() : spec.env();
          procs.add(start(spec, ServerProcess.firstFreePort(spec.port(), 50), env, logs));
          if (pair) {
            procs.add(start(spec, ServerProcess.firstFreePort(spec.port() + 100, 50), env, logs));
          }
          List<URI> uris = new ArrayList<>();
          List<Long> pids = new ArrayList<>();
          for (ServerProcess p : procs) {
            uris.add(p.uri());
            pids.add(p.pid());
          }
          Target t = new Target(spec.name(), uris, pids);
          repeat(sc, t, scenario, rep, until, reps, procs);
        } catch (IOException | RuntimeException e) {
          System.out.println("FAILED " + spec.name() + "/" + scenario + ": " + e);
          results.note(spec.name(), scenario, "failed: " + e);
          return;
        } finally {
          for (ServerProcess p : procs) {
            p.close();
          }
        }
        rep = until + 1;
      }
    }

    private ServerProcess start(ServerSpec spec, int port, Map<String, String> env, Path logs)
        throws IOException {
      return ServerProcess.start(
          spec.name(),
          spec.command(),
          spec.dir(),
          env,
          port,
          logs,
          Duration.ofSeconds(60),
          spec.health());
    }

    private void runExternal(Scenarios sc, String scenario, int reps) throws InterruptedException {
      String name = cfg.str("name");
      List<URI> uris = new ArrayList<>(List.of(URI.create(cfg.str("url"))));
      if (!cfg.str("url2").isBlank()) {
        uris.add(URI.create(cfg.str("url2")));
      }
      if (scenario.equals("redis") && uris.size() < 2) {
        results.note(name, scenario, "skipped: needs --url2");
        return;
      }
      List<Long> pids = new ArrayList<>();
      for (String p : cfg.list("pid")) {
        pids.add(Long.parseLong(p));
      }
      try {
        repeat(sc, new Target(name, uris, pids), scenario, 1, reps, reps, List.of());
      } catch (RuntimeException e) {
        System.out.println("FAILED " + name + "/" + scenario + ": " + e);
        results.note(name, scenario, "failed: " + e);
      }
    }

    /** Warms up, then runs repetitions {@code from..until} (of {@code reps}) against {@code t}. */
    private void repeat(
        Scenarios sc,
        Target t,
        String scenario,
        int from,
        int until,
        int reps,
        List<ServerProcess> procs)
        throws InterruptedException {
      long w0 = System.nanoTime();
      sc.warmup(t, scenario);
      System.out.printf(
          "%-12s %-7s warmup done in %.1fs%n", t.name(), scenario, (System.nanoTime() - w0) / 1e9);
      for (int rep = from; rep <= until; rep++) {
        for (ServerProcess p : procs) {
          if (!p.alive()) {
            throw new IllegalStateException(p.name() + " died; see " + p.log());
          }
        }
        long r0 = System.nanoTime();
        Scenarios.Outcome o = sc.run(scenario, t);
        results.add(new Results.Rep(t.name(), scenario, rep, o.metrics(), o.details()));
        System.out.printf(
            "%-12s %-7s rep %d/%d in %.1fs: %s%n",
            t.name(), scenario, rep, reps, (System.nanoTime() - r0) / 1e9, brief(o.metrics()));
      }
    }

    private static String brief(Map<String, Double> m) {
      StringBuilder b = new StringBuilder();
      int n = 0;
      for (Map.Entry<String, Double> e : m.entrySet()) {
        if (n++ == 9) {
          b.append(" ...");
          break;
        }
        b.append(e.getKey()).append('=').append(Stats.fmt(e.getValue())).append(' ');
      }
      return b.toString().trim();
    }

    private static void warnUlimit() {
      try {
        Process p = new ProcessBuilder("sh", "-c", "ulimit -n").start();
        String v = new String(p.getInputStream().readAllBytes()).trim();
        if (!v.equals("unlimited") && Long.parseLong(v) < 16_384) {
          System.out.println(
              "warning: ulimit -n is "
                  + v
                  + "; the idle scenario needs ~15k sockets (ulimit -n 20000)");
        }
      } catch (IOException | NumberFormatException e) {
        // informational only
      }
    }

    private static Map<String, Object> environment() {
      Map<String, Object> e = new LinkedHashMap<>();
      e.put("java", System.getProperty("java.vm.name") + " " + Runtime.version());
      e.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
      e.put("cpus", Runtime.getRuntime().availableProcessors());
      e.put("clk_tck", ProcStats.clockTicks());
      e.put("source_address_spreading", ClientPool.sourceAddressSupported());
      return e;
    }
  }
}
