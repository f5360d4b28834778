package dev.roomcast.bench;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Prints the comparison table and writes CSV and JSON result files. */
public final class Report {
  private final Results results;
  private final String subject;

  /**
   * @param subject server whose ratio against every other server is printed (normally roomcast)
   */
  public Report(Results results, String subject) {
    this.results = results;
    this.subject = subject;
  }

  /** The metrics shown in the table for a scenario; the files carry all of them. */
  static List<String> shown(String scenario, List<String> available) {
    List<String> want =
        switch (scenario) {
          case "idle" ->
              List.of(
                  "connections",
                  "connect_failures",
                  "connect_per_s",
                  "rss_kb_per_conn",
                  "server_rss_mb");
          case "connect" ->
              List.of("connections", "connect_failures", "connect_per_s", "server_cpu_us_per_conn");
          case "step" ->
              List.of(
                  "saturation_msg_per_s",
                  "saturation_delivered_per_s",
                  "saturation_p99_ms",
                  "peak_delivered_per_s",
                  "failed_at_msg_per_s");
          case "sweep" -> {
            List<String> w = new ArrayList<>();
            for (String a : available) {
              if (a.endsWith(".p99_ms") || a.endsWith(".delivered_per_s")) {
                w.add(a);
              }
            }
            yield w;
          }
          default ->
              List.of(
                  "members",
                  "connect_failures",
                  "expected",
                  "delivered",
                  "loss",
                  "delivered_per_s",
                  "p50_ms",
                  "p99_ms",
                  "p999_ms",
                  "max_ms",
                  "server_cpu_us_per_delivery",
                  "harness_cpu_us_per_delivery",
                  "server_cpu_pct",
                  "harness_cpu_pct",
                  "host_busy_pct",
                  "connect_per_s",
                  "fast_members_incomplete",
                  "delivered_to_slow",
                  "closed_by_server");
        };
    List<String> out = new ArrayList<>();
    for (String w : want) {
      if (available.contains(w)) {
        out.add(w);
      }
    }
    return out;
  }

  /** Prints medians per server with {@code subject/other} ratio columns. */
  public void printTable(PrintStream out, int reps) {
    List<String> servers = results.servers();
    List<String> others = new ArrayList<>();
    for (String s : servers) {
      if (!s.equals(subject)) {
        others.add(s);
      }
    }
    List<String> header = new ArrayList<>(List.of("scenario", "metric"));
    header.addAll(servers);
    for (String o : others) {
      header.add(subject + "/" + o);
    }
    List<List<String>> rows = new ArrayList<>();
    for (String sc : results.scenarios()) {
      for (String metric : shown(sc, results.metrics(sc))) {
        List<String> row = new ArrayList<>(List.of(sc, metric));
        for (String s : servers) {
          row.add(Stats.fmt(results.median(s, sc, metric)));
        }
        double mine = results.median(subject, sc, metric);
        for (String o : others) {
          row.add(Stats.fmtRatio(Stats.ratio(mine, results.median(o, sc, metric))));
        }
        rows.add(row);
      }
    }
    int[] w = new int[header.size()];
    for (int i = 0; i < w.length; i++) {
      w[i] = header.get(i).length();
      for (List<String> r : rows) {
        w[i] = Math.max(w[i], r.get(i).length());
      }
    }
    out.printf(
        Locale.ROOT,
        "%n== roomcast-bench: medians of %d repetition(s); latency in ms, ratios are %s/peer"
            + " (for latency, CPU and memory lower is better) ==%n",
        reps,
        subject);
    out.println(line(header, w));
    String prev = null;
    for (List<String> r : rows) {
      if (prev != null && !prev.equals(r.get(0))) {
        out.println();
      }
      prev = r.get(0);
      out.println(line(r, w));
    }
    for (Map.Entry<String, String> e : results.notes().entrySet()) {
      out.println("note: " + e.getKey() + ": " + e.getValue());
    }
  }

  private static String line(List<String> cells, int[] w) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < cells.size(); i++) {
      String c = cells.get(i);
      if (i < 2) {
        b.append(String.format("%-" + w[i] + "s", c));
      } else {
        b.append(String.format("%" + w[i] + "s", c));
      }
      b.append("  ");
    }
    return b.toString().stripTrailing();
  }

  /** Writes {@code runs.csv} (every repetition) and {@code summary.csv} (medians). */
  public void writeCsv(Path dir) throws IOException {
    try (Writer w = Files.newBufferedWriter(dir.resolve("runs.csv"), StandardCharsets.UTF_8)) {
      w.write("server,scenario,rep,metric,value\n");
      for (Results.Rep r : results.reps()) {
        for (Map.Entry<String, Double> e : r.metrics().entrySet()) {
          w.write(
              String.join(
                      ",",
                      r.server(),
                      r.scenario(),
                      Integer.toString(r.rep()),
                      e.getKey(),
                      csvNumber(e.getValue()))
                  + "\n");
        }
      }
    }
    try (Writer w = Files.newBufferedWriter(dir.resolve("summary.csv"), StandardCharsets.UTF_8)) {
      w.write("scenario,metric,server,median,reps\n");
      for (String sc : results.scenarios()) {
        for (String metric : results.metrics(sc)) {
          for (String s : results.servers()) {
            int n = results.reps(s, sc).size();
            if (n > 0) {
              w.write(
                  String.join(
                          ",",
                          sc,
                          metric,
                          s,
                          csvNumber(results.median(s, sc, metric)),
                          Integer.toString(n))
                      + "\n");
            }
          }
        }
      }
    }
  }

  private static String csvNumber(Double v) {
    return v == null || !Double.isFinite(v) ? "" : String.format(Locale.ROOT, "%.6g", v);
  }

  /** Writes {@code results.json}: options, environment, notes, medians and every repetition. */
  public void writeJson(Path dir, Map<String, String> options, Map<String, Object> env)
      throws IOException {
    JsonFactory f = new JsonFactory();
    try (JsonGenerator g =
        f.createGenerator(dir.resolve("results.json").toFile(), JsonEncoding.UTF8)) {
      g.useDefaultPrettyPrinter();
      g.writeStartObject();
      g.writeObjectFieldStart("options");
      for (Map.Entry<String, String> e : options.entrySet()) {
        g.writeStringField(e.getKey(), e.getValue());
      }
      g.writeEndObject();
      g.writeFieldName("environment");
      writeValue(g, env);
      g.writeFieldName("notes");
      writeValue(g, results.notes());
      g.writeObjectFieldStart("servers");
      for (String s : results.servers()) {
        g.writeObjectFieldStart(s);
        for (String sc : results.scenarios()) {
          List<Results.Rep> reps = results.reps(s, sc);
          if (reps.isEmpty()) {
            continue;
          }
          g.writeObjectFieldStart(sc);
          g.writeObjectFieldStart("median");
          for (String metric : results.metrics(sc)) {
            g.writeFieldName(metric);
            writeValue(g, results.median(s, sc, metric));
          }
          g.writeEndObject();
          g.writeArrayFieldStart("reps");
          for (Results.Rep r : reps) {
            g.writeStartObject();
            g.writeNumberField("rep", r.rep());
            g.writeFieldName("metrics");
            writeValue(g, r.metrics());
            if (!r.details().isEmpty()) {
              g.writeFieldName("details");
              writeValue(g, r.details());
            }
            g.writeEndObject();
          }
          g.writeEndArray();
          g.writeEndObject();
        }
        g.writeEndObject();
      }
      g.writeEndObject();
      g.writeEndObject();
    }
  }

  private static void writeValue(JsonGenerator g, Object v) throws IOException {
    if (v == null) {
      g.writeNull();
    } else if (v instanceof Double d) {
      if (Double.isFinite(d)) {
        g.writeNumber(d);
      } else {
        g.writeNull(); // JSON has no NaN
      }
    } else if (v instanceof Number n) {
      g.writeNumber(n.toString());
    } else if (v instanceof Boolean b) {
      g.writeBoolean(b);
    } else if (v instanceof Map<?, ?> m) {
      g.writeStartObject();
      for (Map.Entry<?, ?> e : m.entrySet()) {
        g.writeFieldName(String.valueOf(e.getKey()));
        writeValue(g, e.getValue());
      }
      g.writeEndObject();
    } else if (v instanceof List<?> l) {
      g.writeStartArray();
      for (Object o : l) {
        writeValue(g, o);
      }
      g.writeEndArray();
    } else {
      g.writeString(v.toString());
    }
  }
}
