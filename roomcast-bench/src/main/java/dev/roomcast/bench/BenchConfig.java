package dev.roomcast.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Command-line options: {@code --key value} pairs over a table of defaults, with {@code --quick}
 * swapping in small sizes so a whole run takes about a minute per server.
 *
 * <p>Kept as a flat string map (rather than one field per option) so that every option is listed,
 * documented and overridable in exactly one place: {@link #DEFAULTS}.
 */
public final class BenchConfig {
  /** Option, full-run default, quick default, help text. */
  private static final String[][] DEFAULTS = {
    {
      "servers",
      "node-ws,seed-python,vertx,go-gorilla,spring-boot,floor,roomcast",
      null,
      "servers to run, in order (floor: the harness's own minimal NIO writer, not a product)"
    },
    {
      "scenarios",
      "fanout,step,rooms,idle,connect,slow,flood16k,redis,sweep",
      null,
      "scenarios to run (fanout,step,rooms,idle,connect,slow,flood16k,redis,sweep)"
    },
    {"reps", "3", "1", "measured repetitions per scenario; tables show medians"},
    {"warmup", "10", "2", "warmup seconds before each scenario's repetitions"},
    {"subject", "roomcast", null, "server whose ratios against the others are printed"},
    {
      "jvm-flags",
      "-XX:MaxRAM=512m -XX:MaxRAMPercentage=70 -Xmn32m -XX:+UseSerialGC -Xss256k",
      null,
      "JVM flags of every Java server (roomcast, vertx, spring-boot, floor): one 512 MB container"
    },
    {
      "roomcast-cmd",
      "",
      null,
      "command starting roomcast (PORT is set in its env); empty = java <jvm-flags> -jar"
          + " roomcast-example/target/roomcast-example.jar; env ROOMCAST_CMD overrides the default"
    },
    {
      "roomcast-env",
      "ROOMCAST_NOTICES=off,ROOMCAST_PUBLISH_RATE=100000,ROOMCAST_MAX_CONNECTIONS=20000,"
          // every benchmark client is 127.0.0.1: what the per-address limits exist to refuse
          + "ROOMCAST_MAX_CONNECTIONS_PER_ADDRESS=0,ROOMCAST_MAX_PENDING_PER_ADDRESS=20000,"
          + "ROOMCAST_MAX_PENDING_CONNECTIONS=20000",
      null,
      "env for roomcast (comma list): notices off as advised for big rooms, the bench senders"
          + " above the 100/s publish limit, room for the 15,000 idle connections"
    },
    {
      "redis-env",
      "",
      null,
      "env that makes two roomcast instances share a backplane; empty = skip roomcast redis"
    },
    {"peers-dir", "../shared/peers", null, "read-only reference peers (seed-python lives here)"},
    {
      "node-dir",
      "roomcast-bench/target/peers/node-ws",
      null,
      "writable node-ws copy with node_modules"
    },
    {
      "peer-builds",
      "roomcast-bench/target/peers",
      null,
      "writable folder with the built vertx, go-gorilla and spring-boot copies (bench/run.sh)"
    },
    {
      "spring-env",
      "SERVER_TOMCAT_MAXCONNECTIONS=20000,SERVER_TOMCAT_ACCEPTCOUNT=10000",
      null,
      "env for spring-boot: Tomcat's 8,192-connection cap and 100-deep accept queue lifted"
    },
    {"java", "java", null, "java binary for the Java servers"},
    {"python", "/usr/bin/python3", null, "python for the seed peer (needs python3-websockets)"},
    {"node", "node", null, "node binary for the node-ws peer"},
    {"url", "", null, "bench an already running server at this ws:// URL instead (name: --name)"},
    {"url2", "", null, "second instance of that server: the redis and step rooms are split"},
    {"pid", "", null, "pid(s) of the external server, comma separated, for CPU/RSS figures"},
    {"name", "external", null, "label of the external server"},
    {
      "port-base",
      "18080",
      null,
      "seed-python=base, node-ws=+1, roomcast=+2, vertx=+3, go-gorilla=+4, spring-boot=+5,"
          + " floor=+6 (next free port if taken), pairs +100"
    },
    {"out", "roomcast-bench/target/bench-results", null, "results directory"},
    {"threads", "2", null, "executor threads shared by all connections"},
    {"concurrency", "200", "50", "WebSocket handshakes in flight while connecting"},
    {"per-address", "25000", null, "connections per loopback address before spreading"},
    {"members", "1000", "50", "fanout/step/slow/redis room size"},
    {"rate", "50", "20", "fanout/slow/redis publish rate into the room, msg/s"},
    {"duration", "10", "3", "measured seconds per fanout/rooms/redis/sweep run"},
    {"step-start", "10", "20", "step: first rate, msg/s"},
    {"step-factor", "2", null, "step: rate multiplier per step"},
    {"step-max", "8", "4", "step: most steps"},
    {"step-seconds", "5", "2", "step: seconds per step"},
    {"step-p99-ms", "250", null, "step: p99 above this means saturated"},
    {"rooms", "1000", "50", "rooms scenario: number of rooms"},
    {"room-size", "10", null, "rooms/idle scenario: members per room"},
    {"room-rate", "1", "2", "rooms scenario: msg/s per room"},
    {"idle-conns", "15000", "500", "idle scenario: connections"},
    {"connect-conns", "10000", "500", "connect scenario: connections timed"},
    {"connect-warmup", "10000", "500", "connect scenario: connections opened and closed first"},
    {"slow-fraction", "0.01", "0.02", "slow scenario: share of members that stop reading"},
    {"slow-seconds", "30", "4", "slow scenario: measured seconds"},
    {"slow-pad", "1024", null, "slow scenario: padding bytes per message (fills stalled buffers)"},
    {"slow-rcvbuf", "16384", null, "slow scenario: SO_RCVBUF of stalled sockets (0 = OS autotune)"},
    {"flood-members", "100", "20", "flood16k scenario: room size (1% of it stops reading)"},
    {"flood-rate", "50", "20", "flood16k scenario: publish rate, msg/s"},
    {"flood-seconds", "10", "3", "flood16k scenario: measured seconds"},
    {"flood-pad", "16384", null, "flood16k scenario: padding bytes per message"},
    {"sweep-members", "100,250,500,1000", "10,25,50", "sweep: room sizes for the plot"},
    {"fill-timeout", "180", "60", "seconds allowed to open one scenario's connections"},
    {"drain-timeout", "15", "5", "seconds to wait for in-flight deliveries after publishing"},
    {"settle-timeout", "30", "10", "seconds to wait for the server to go idle before a run"},
  };

  private final Map<String, String> values = new LinkedHashMap<>();
  private final boolean quick;

  private BenchConfig(Map<String, String> explicit, boolean quick) {
    this.quick = quick;
    for (String[] d : DEFAULTS) {
      String v = quick && d[2] != null ? d[2] : d[1];
      values.put(d[0], v);
    }
    String envCmd = System.getenv("ROOMCAST_CMD");
    if (envCmd != null && !envCmd.isBlank()) {
      values.put("roomcast-cmd", envCmd);
    }
    values.putAll(explicit);
  }

  /** Parses {@code --key value} and {@code --quick}; throws with the usage text on bad input. */
  public static BenchConfig parse(String[] args) {
    Map<String, String> explicit = new TreeMap<>();
    boolean quick = false;
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (a.equals("--quick")) {
        quick = true;
        continue;
      }
      if (a.equals("--help") || a.equals("-h")) {
        throw new IllegalArgumentException(usage());
      }
      if (!a.startsWith("--")) {
        throw new IllegalArgumentException("unexpected argument " + a + "\n" + usage());
      }
      String arg = a.substring(2);
      String value;
      int eq = arg.indexOf('=');
      String key = eq >= 0 ? arg.substring(0, eq) : arg;
      if (eq >= 0) {
        value = arg.substring(eq + 1);
      } else if (i + 1 < args.length) {
        value = args[++i];
      } else {
        throw new IllegalArgumentException("missing value for --" + key);
      }
      if (Arrays.stream(DEFAULTS).noneMatch(d -> d[0].equals(key))) {
        throw new IllegalArgumentException("unknown option --" + key + "\n" + usage());
      }
      explicit.put(key, value);
    }
    return new BenchConfig(explicit, quick);
  }

  /** The option table as help text. */
  public static String usage() {
    StringBuilder b = new StringBuilder("usage: roomcast-bench [--quick] [--key value ...]\n");
    b.append("  --quick  small sizes and short runs (smoke test)\n");
    for (String[] d : DEFAULTS) {
      b.append(
          String.format(
              "  --%-14s %s [%s%s]%n", d[0], d[3], d[1], d[2] == null ? "" : "; quick " + d[2]));
    }
    return b.toString();
  }

  /** True in {@code --quick} mode. */
  public boolean quick() {
    return quick;
  }

  /** Raw value. */
  public String str(String key) {
    String v = values.get(key);
    if (v == null) {
      throw new IllegalArgumentException("no option " + key);
    }
    return v;
  }

  /** Integer value. */
  public int integer(String key) {
    return Integer.parseInt(str(key).trim());
  }

  /** Decimal value. */
  public double dbl(String key) {
    return Double.parseDouble(str(key).trim());
  }

  /** Comma-separated list, empty entries dropped. */
  public List<String> list(String key) {
    List<String> out = new ArrayList<>();
    for (String s : str(key).split(",")) {
      if (!s.isBlank()) {
        out.add(s.trim());
      }
    }
    return out;
  }

  /** Comma-separated {@code K=V} list as a map. */
  public Map<String, String> env(String key) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String kv : list(key)) {
      int eq = kv.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException("--" + key + " wants K=V pairs, got " + kv);
      }
      out.put(kv.substring(0, eq), kv.substring(eq + 1));
    }
    return out;
  }

  /** Every option with its effective value, for the results file. */
  public Map<String, String> all() {
    return new LinkedHashMap<>(values);
  }
}
