package dev.roomcast.bench;

import java.lang.management.ManagementFactory;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;

/**
 * The named load scenarios. Each run opens its own connections in freshly named rooms, measures,
 * and closes them again, so repetitions are independent and leftovers of one run (late notices,
 * leave storms) can never be counted in the next.
 */
public final class Scenarios {
  /** Scenario names in their default order. */
  public static final List<String> ALL =
      List.of("fanout", "step", "rooms", "idle", "connect", "slow", "flood16k", "redis", "sweep");

  /** Metrics of one repetition plus free-form details (step ladder, sweep points). */
  public record Outcome(Map<String, Double> metrics, List<Map<String, Object>> details) {}

  private static final AtomicLong TAGS = new AtomicLong(System.currentTimeMillis() % 1_000_000);
  private static final Duration QUIET = Duration.ofSeconds(1);
  private static final Duration CLOSE_GRACE = Duration.ofSeconds(3);

  private final BenchConfig cfg;
  private final ClientPool pool;
  private final Duration perConnection = Duration.ofSeconds(15);

  /** Scenarios using {@code pool} for every connection. */
  public Scenarios(BenchConfig cfg, ClientPool pool) {
    this.cfg = cfg;
    this.pool = pool;
  }

  /** Runs scenario {@code name} once against {@code t}. */
  public Outcome run(String name, Target t) throws InterruptedException {
    return switch (name) {
      case "fanout" -> fanout(t);
      case "step" -> step(t);
      case "rooms" -> rooms(t);
      case "idle" -> idle(t);
      case "connect" -> connect(t);
      case "slow" -> slow(t);
      case "flood16k" -> flood16k(t);
      case "redis" -> redis(t);
      case "sweep" -> sweep(t);
      default -> throw new IllegalArgumentException("unknown scenario " + name);
    };
  }

  /**
   * Unmeasured traffic so JITs and allocators reach steady state before the first repetition of
   * {@code scenario}: a small broadcast, and for {@code connect} also rounds of connections opened
   * and closed, so the handshake path is compiled before it is timed (a broadcast warmup opens too
   * few connections for that).
   */
  public void warmup(Target t, String scenario) throws InterruptedException {
    double secs = cfg.dbl("warmup");
    if (secs <= 0) {
      return;
    }
    int members = Math.min(cfg.integer("members"), 200);
    broadcast(t, "warm", 1, members, cfg.dbl("rate"), secs, 0, "", false);
    if (scenario.equals("connect")) {
      int total = cfg.integer("connect-warmup");
      int round = Math.max(1, Math.min(total, 2_500));
      for (int done = 0; done < total; done += round) {
        Session s = open(roomSpecs(t, "warm", Math.min(round, total - done)));
        s.close(CLOSE_GRACE);
        settle(t);
      }
    }
  }

  /** {@code n} connections in rooms of {@code room-size}, all counted. */
  private List<Session.Spec> roomSpecs(Target t, String label, int n) {
    long tag = TAGS.incrementAndGet();
    int size = cfg.integer("room-size");
    List<Session.Spec> specs = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      int room = i / size;
      specs.add(
          new Session.Spec(
              t.uris().get(0).resolve("/b" + tag + "-" + label + "-" + room), room, true));
    }
    return specs;
  }

  private Outcome fanout(Target t) throws InterruptedException {
    return broadcast(
        t, "fanout", 1, cfg.integer("members"), cfg.dbl("rate"), cfg.dbl("duration"), 0, "", false);
  }

  private Outcome rooms(Target t) throws InterruptedException {
    return broadcast(
        t,
        "rooms",
        cfg.integer("rooms"),
        cfg.integer("room-size"),
        cfg.dbl("room-rate"),
        cfg.dbl("duration"),
        0,
        "",
        false);
  }

  private Outcome slow(Target t) throws InterruptedException {
    return broadcast(
        t,
        "slow",
        1,
        cfg.integer("members"),
        cfg.dbl("rate"),
        cfg.dbl("slow-seconds"),
        cfg.dbl("slow-fraction"),
        "x".repeat(cfg.integer("slow-pad")),
        false);
  }

  /**
   * The slow scenario's shape with 16 KiB messages in a smaller room: big frames fill a stalled
   * member's socket within a second, so what the fast members' worst latency shows is whether the
   * server's writes to them wait behind the stalled one.
   */
  private Outcome flood16k(Target t) throws InterruptedException {
    return broadcast(
        t,
        "flood16k",
        1,
        cfg.integer("flood-members"),
        cfg.dbl("flood-rate"),
        cfg.dbl("flood-seconds"),
        cfg.dbl("slow-fraction"),
        "x".repeat(cfg.integer("flood-pad")),
        false);
  }

  private Outcome redis(Target t) throws InterruptedException {
    if (t.uris().size() < 2) {
      throw new IllegalStateException("redis scenario needs two instances");
    }
    return broadcast(
        t, "redis", 1, cfg.integer("members"), cfg.dbl("rate"), cfg.dbl("duration"), 0, "", true);
  }

  private Outcome sweep(Target t) throws InterruptedException {
    Map<String, Double> metrics = new LinkedHashMap<>();
    List<Map<String, Object>> points = new ArrayList<>();
    for (String m : cfg.list("sweep-members")) {
      int members = Integer.parseInt(m);
      Outcome o =
          broadcast(t, "sweep", 1, members, cfg.dbl("rate"), cfg.dbl("duration"), 0, "", false);
      for (String k : List.of("p50_ms", "p99_ms", "p999_ms", "delivered_per_s", "loss")) {
        metrics.put("m" + members + "." + k, o.metrics().get(k));
      }
      Map<String, Object> p = new LinkedHashMap<>(o.metrics());
      points.add(p);
    }
    return new Outcome(metrics, points);
  }

  /**
   * The common shape of fanout, rooms, slow, redis and sweep: fill {@code rooms} rooms of {@code
   * membersPerRoom}, wait out the join-notice storm, then publish at {@code ratePerRoom} into every
   * room from one member of it, and count what every member receives.
   */
  private Outcome broadcast(
      Target t,
      String label,
      int rooms,
      int membersPerRoom,
      double ratePerRoom,
      double seconds,
      double slowFraction,
      String pad,
      boolean split)
      throws InterruptedException {
    settle(t);
    long tag = TAGS.incrementAndGet();
    int slowPerRoom =
        slowFraction > 0 ? (int) Math.max(1, Math.round(membersPerRoom * slowFraction)) : 0;
    List<Session.Spec> specs = new ArrayList<>(rooms * membersPerRoom);
    for (int r = 0; r < rooms; r++) {
      String path = "/b" + tag + "-" + label + "-" + r;
      for (int j = 0; j < membersPerRoom; j++) {
        // split rooms alternate members between the two instances; the sender (j == 0) is on A
        URI base = split ? t.uris().get(j % 2) : t.uris().get(0);
        boolean slow = j >= membersPerRoom - slowPerRoom && j > 0;
        specs.add(new Session.Spec(base.resolve(path), r, !slow));
      }
    }
    List<Session.Spec> fast = new ArrayList<>();
    List<Session.Spec> stalled = new ArrayList<>();
    for (Session.Spec sp : specs) {
      (sp.counted() ? fast : stalled).add(sp);
    }
    ProcStats.Sample rss0 = sample(t);
    Session s = open(fast);
    try {
      if (!stalled.isEmpty()) {
        openStalled(s, stalled);
      }
      s.awaitQuiet(QUIET, fillTimeout());
      ProcStats.Sample rssFull = sample(t);

      // one counted member per room sends; every counted member of that room must receive it
      List<Member> members = s.members();
      Member[] senderOf = new Member[rooms];
      long[] receivers = new long[rooms];
      List<Member> slowMembers = new ArrayList<>();
      for (Member m : members) {
        if (m.counted()) {
          receivers[m.room()]++;
          // a server that sheds load (go-gorilla drops members whose queue is full of join
          // notices) may have closed the first member already: publish from one still open, so
          // the dropped ones show as loss instead of the whole run publishing nothing
          if (senderOf[m.room()] == null && open(m)) {
            senderOf[m.room()] = m;
          }
        } else {
          slowMembers.add(m);
        }
      }
      List<Member> senders = new ArrayList<>();
      for (Member m : senderOf) {
        if (m != null) {
          senders.add(m);
        }
      }
      if (senders.isEmpty()) {
        throw new IllegalStateException(label + ": no connection succeeded");
      }
      // keep the offered load at rooms x rate even if a room ended up with no sender
      double rate = ratePerRoom * senders.size();

      Sink sink = new Sink(tag, Session.messageCount(rate, seconds));
      s.measure(sink);
      slowMembers.forEach(Member::stopReading);
      ProcStats.Sample cpu0 = sample(t);
      long h0 = harnessCpuNanos();
      long[] host0 = ProcStats.hostTicks();
      long errors0 = s.errorFrames();
      long closed0 = s.closedByServerCount();
      Session.Publish p = s.publish(senders, receivers, rate, seconds, pad, drainTimeout());
      s.drain(p.expected(), Duration.ofSeconds(3), drainTimeout());
      ProcStats.Sample cpu1 = sample(t);
      long h1 = harnessCpuNanos();
      long[] host1 = ProcStats.hostTicks();
      Histogram h = sink.latencyHistogram();

      Map<String, Double> m = new LinkedHashMap<>();
      long delivered = sink.delivered();
      m.put("members", (double) members.size());
      m.put("rooms", (double) rooms);
      m.put("connect_failures", (double) s.failures());
      m.put("connect_per_s", members.size() / Math.max(1e-9, s.connectSeconds()));
      m.put("offered_msg_per_s", rate);
      m.put("published", (double) p.published());
      m.put("send_failures", (double) p.sendFailures());
      m.put("expected", (double) p.expected());
      m.put("delivered", (double) delivered);
      m.put("loss", (double) (p.expected() - delivered));
      m.put("loss_pct", 100.0 * Stats.ratio(p.expected() - delivered, p.expected()));
      double window = (sink.lastDeliveryNanos() - p.startNanos()) / 1e9;
      m.put("delivered_per_s", delivered == 0 ? 0.0 : delivered / window);
      putLatency(m, h);
      double serverCpu = cpu1.cpuMicrosSince(cpu0);
      double wall = (cpu1.nanoTime() - cpu0.nanoTime()) / 1e3;
      m.put(
          "server_cpu_us_per_delivery",
          t.pids().isEmpty() ? Double.NaN : Stats.perUnit(serverCpu, delivered));
      m.put("server_cpu_pct", t.pids().isEmpty() ? Double.NaN : 100.0 * serverCpu / wall);
      m.put("harness_cpu_us_per_delivery", Stats.perUnit((h1 - h0) / 1e3, delivered));
      // 100% = one core; with host_busy_pct (100% = every core) this tells a saturated server
      // from a saturated harness or a machine busy with other tenants' work
      m.put("harness_cpu_pct", 100.0 * (h1 - h0) / 1e3 / wall);
      m.put("host_busy_pct", ProcStats.hostBusyPct(host0, host1));
      m.put("server_rss_mb", t.pids().isEmpty() ? Double.NaN : cpu1.rssKb() / 1024.0);
      m.put(
          "server_rss_kb_per_member",
          t.pids().isEmpty()
              ? Double.NaN
              : (rssFull.rssKb() - rss0.rssKb()) / (double) members.size());
      m.put("unseen_messages", (double) sink.unseenMessages(p.published()));
      long repeated = 0;
      for (Member mem : members) {
        repeated += mem.repeatedOrReordered();
      }
      m.put("duplicate_or_reordered", (double) repeated);
      m.put("first_unseen_seq", (double) sink.firstUnseen(p.published()));
      m.put("error_frames", (double) (s.errorFrames() - errors0));
      m.put("closed_by_server", (double) (s.closedByServerCount() - closed0));
      if (slowPerRoom > 0) {
        int incomplete = 0;
        for (Member mem : members) {
          if (mem.counted() && mem.received() < p.publishedPerRoom()[mem.room()]) {
            incomplete++;
          }
        }
        m.put("slow_members", (double) slowMembers.size());
        m.put("fast_members_incomplete", (double) incomplete);
        m.put("delivered_to_slow", (double) sink.deliveredToSlow());
        // what the server had to buffer (or drop) per stalled member; tells whether the run was
        // long enough to exhaust kernel buffers before judging the fast members' figures
        m.put("kb_pushed_per_stalled_member", p.published() * (pad.length() + 160) / 1024.0);
      }
      return new Outcome(m, List.of());
    } finally {
      s.close(CLOSE_GRACE);
    }
  }

  /**
   * Saturation: one big room, rate doubling per step until deliveries go missing or p99 exceeds the
   * limit. Reports the last rate that passed and the peak delivery throughput seen.
   */
  private Outcome step(Target t) throws InterruptedException {
    settle(t);
    long tag0 = TAGS.incrementAndGet();
    int members = cfg.integer("members");
    List<Session.Spec> specs = new ArrayList<>();
    for (int j = 0; j < members; j++) {
      // given two instances (--url2), the room is split as in the redis scenario, sender on A
      URI base = t.uris().get(j % t.uris().size());
      specs.add(new Session.Spec(base.resolve("/b" + tag0 + "-step"), 0, true));
    }
    Session s = open(specs);
    List<Map<String, Object>> steps = new ArrayList<>();
    Map<String, Double> m = new LinkedHashMap<>();
    try {
      s.awaitQuiet(QUIET, fillTimeout());
      List<Member> ms = s.members();
      if (ms.isEmpty()) {
        throw new IllegalStateException("step: no connection succeeded");
      }
      long[] receivers = {ms.size()};
      double rate = cfg.dbl("step-start");
      double limitMs = cfg.dbl("step-p99-ms");
      double lastPass = 0;
      double lastPassDelivered = Double.NaN;
      double lastPassP99 = Double.NaN;
      double peak = 0;
      double failedAt = Double.NaN;
      for (int i = 0; i < cfg.integer("step-max"); i++) {
        Sink sink =
            new Sink(TAGS.incrementAndGet(), Session.messageCount(rate, cfg.dbl("step-seconds")));
        s.measure(sink);
        ProcStats.Sample cpu0 = sample(t);
        Session.Publish p =
            s.publish(
                List.of(ms.get(0)), receivers, rate, cfg.dbl("step-seconds"), "", drainTimeout());
        s.drain(p.expected(), Duration.ofSeconds(1), drainTimeout());
        ProcStats.Sample cpu1 = sample(t);
        Histogram h = sink.latencyHistogram();
        long delivered = sink.delivered();
        double window = (sink.lastDeliveryNanos() - p.startNanos()) / 1e9;
        double perS = delivered == 0 ? 0 : delivered / window;
        double p99 = h.getTotalCount() == 0 ? Double.NaN : h.getValueAtPercentile(99) / 1000.0;
        long loss = p.expected() - delivered;
        boolean pass = loss == 0 && p.sendFailures() == 0 && p99 <= limitMs;
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("rate", rate);
        d.put("expected", p.expected());
        d.put("delivered", delivered);
        d.put("loss", loss);
        d.put("delivered_per_s", perS);
        d.put("p50_ms", h.getTotalCount() == 0 ? Double.NaN : h.getValueAtPercentile(50) / 1000.0);
        d.put("p99_ms", p99);
        d.put("max_ms", h.getTotalCount() == 0 ? Double.NaN : h.getMaxValue() / 1000.0);
        d.put("server_cpu_us_per_delivery", Stats.perUnit(cpu1.cpuMicrosSince(cpu0), delivered));
        d.put("pass", pass);
        steps.add(d);
        peak = Math.max(peak, perS);
        if (!pass) {
          failedAt = rate;
          break;
        }
        lastPass = rate;
        lastPassDelivered = perS;
        lastPassP99 = p99;
        rate *= cfg.dbl("step-factor");
        s.awaitQuiet(Duration.ofMillis(300), Duration.ofSeconds(10));
      }
      m.put("members", (double) ms.size());
      m.put("saturation_msg_per_s", lastPass);
      m.put("saturation_delivered_per_s", lastPassDelivered);
      m.put("saturation_p99_ms", lastPassP99);
      m.put("peak_delivered_per_s", peak);
      m.put("failed_at_msg_per_s", failedAt);
      m.put("steps", (double) steps.size());
      return new Outcome(m, steps);
    } finally {
      s.close(CLOSE_GRACE);
    }
  }

  /** Idle capacity: resident memory per idle connection and connection establishment rate. */
  private Outcome idle(Target t) throws InterruptedException {
    settle(t);
    List<Session.Spec> specs = roomSpecs(t, "idle", cfg.integer("idle-conns"));
    ProcStats.Sample before = sample(t);
    Session s = open(specs);
    try {
      s.awaitQuiet(QUIET, fillTimeout());
      settle(t);
      ProcStats.Sample after = sample(t);
      int connected = s.members().size();
      Map<String, Double> m = connectMetrics(s);
      boolean known = !t.pids().isEmpty();
      m.put(
          "rss_kb_per_conn",
          known ? (after.rssKb() - before.rssKb()) / (double) connected : Double.NaN);
      m.put("server_rss_mb_before", known ? before.rssKb() / 1024.0 : Double.NaN);
      m.put("server_rss_mb", known ? after.rssKb() / 1024.0 : Double.NaN);
      m.put("closed_by_server", (double) s.closedByServerCount());
      return new Outcome(m, List.of());
    } finally {
      s.close(CLOSE_GRACE);
    }
  }

  /** Connections opened, failed, and opened per second while {@code s} was filling. */
  private static Map<String, Double> connectMetrics(Session s) {
    int connected = s.members().size();
    Map<String, Double> m = new LinkedHashMap<>();
    m.put("connections", (double) connected);
    m.put("connect_failures", (double) s.failures());
    m.put("connect_per_s", connected / Math.max(1e-9, s.connectSeconds()));
    return m;
  }

  /**
   * Connection establishment with a warm JIT (see {@link #warmup}): how fast the server accepts
   * {@code connect-conns} WebSocket connections in rooms of {@code room-size}, and the server CPU
   * each one costs (handshake, join, welcome frame).
   */
  private Outcome connect(Target t) throws InterruptedException {
    settle(t);
    List<Session.Spec> specs = roomSpecs(t, "connect", cfg.integer("connect-conns"));
    ProcStats.Sample before = sample(t);
    Session s = open(specs);
    try {
      ProcStats.Sample after = sample(t);
      int connected = s.members().size();
      Map<String, Double> m = connectMetrics(s);
      m.put(
          "server_cpu_us_per_conn",
          t.pids().isEmpty() ? Double.NaN : after.cpuMicrosSince(before) / Math.max(1, connected));
      m.put("closed_by_server", (double) s.closedByServerCount());
      return new Outcome(m, List.of());
    } finally {
      s.close(CLOSE_GRACE);
    }
  }

  /**
   * Opens the members that will stop reading with a small SO_RCVBUF. Linux autotunes loopback
   * receive windows to megabytes, which a stalled reader would take minutes to fill at chat rates;
   * a small fixed buffer makes the server feel the stall within seconds, which is the situation the
   * slow scenario is about. The JDK reads this property per connection, and the fast members are
   * all connected already, so only these sockets get it.
   */
  private void openStalled(Session s, List<Session.Spec> stalled) throws InterruptedException {
    String key = "jdk.httpclient.receiveBufferSize";
    String before = System.getProperty(key);
    int rcv = cfg.integer("slow-rcvbuf");
    if (rcv > 0) {
      System.setProperty(key, Integer.toString(rcv));
    }
    try {
      s.add(pool, stalled, cfg.integer("concurrency"), perConnection, fillTimeout());
    } finally {
      if (before == null) {
        System.clearProperty(key);
      } else {
        System.setProperty(key, before);
      }
    }
  }

  private static boolean open(Member m) {
    return m.socket() != null && !m.socket().isOutputClosed() && !m.socket().isInputClosed();
  }

  private Session open(List<Session.Spec> specs) throws InterruptedException {
    return Session.open(pool, specs, cfg.integer("concurrency"), perConnection, fillTimeout());
  }

  private Duration fillTimeout() {
    return Duration.ofSeconds(cfg.integer("fill-timeout"));
  }

  private Duration drainTimeout() {
    return Duration.ofSeconds(cfg.integer("drain-timeout"));
  }

  private static void putLatency(Map<String, Double> m, Histogram h) {
    boolean any = h.getTotalCount() > 0;
    m.put("p50_ms", any ? h.getValueAtPercentile(50) / 1000.0 : Double.NaN);
    m.put("p99_ms", any ? h.getValueAtPercentile(99) / 1000.0 : Double.NaN);
    m.put("p999_ms", any ? h.getValueAtPercentile(99.9) / 1000.0 : Double.NaN);
    m.put("max_ms", any ? h.getMaxValue() / 1000.0 : Double.NaN);
  }

  private static ProcStats.Sample sample(Target t) {
    return ProcStats.sample(t.pids());
  }

  /**
   * Waits (bounded) until the server burns under 5% of a core, so a previous run's leave-notice
   * storm or GC does not bleed into this run's CPU and latency figures.
   */
  private void settle(Target t) {
    if (t.pids().isEmpty()) {
      Session.sleepMillis(1000);
      return;
    }
    long deadline = System.nanoTime() + Duration.ofSeconds(cfg.integer("settle-timeout")).toNanos();
    ProcStats.Sample prev = sample(t);
    while (System.nanoTime() < deadline) {
      Session.sleepMillis(500);
      ProcStats.Sample now = sample(t);
      double cpu = now.cpuMicrosSince(prev);
      double wall = (now.nanoTime() - prev.nanoTime()) / 1e3;
      if (cpu <= 0.05 * wall) {
        return;
      }
      prev = now;
    }
  }

  private static long harnessCpuNanos() {
    var os = ManagementFactory.getOperatingSystemMXBean();
    if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
      return sun.getProcessCpuTime();
    }
    return 0;
  }
}
