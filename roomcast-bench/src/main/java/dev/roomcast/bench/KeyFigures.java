package dev.roomcast.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The headline comparison: per server one row of the figures the targets are about (issue 17), and
 * the subject's ratio against each other server, printed at the end of a run and written as {@code
 * table.md} so the docs can paste it. The full per-scenario table ({@link Report}) stays the source
 * of every other figure.
 */
public final class KeyFigures {
  /** One column: a scenario's median metric, and whether a higher value is the better one. */
  record Figure(String label, String scenario, String metric, boolean higherIsBetter) {}

  static final List<Figure> FIGURES =
      List.of(
          new Figure("fanout CPU µs/delivery", "fanout", "server_cpu_us_per_delivery", false),
          new Figure("fanout p99 ms", "fanout", "p99_ms", false),
          new Figure("fanout lost", "fanout", "loss", false),
          new Figure("step saturation msg/s", "step", "saturation_msg_per_s", true),
          new Figure("rooms p99 ms", "rooms", "p99_ms", false),
          new Figure("KB/idle conn (RSS)", "idle", "rss_kb_per_conn", false),
          new Figure("connect/s cold (idle)", "idle", "connect_per_s", true),
          new Figure("connect/s warm (connect)", "connect", "connect_per_s", true),
          new Figure("slow worst fast-member ms", "slow", "max_ms", false),
          new Figure("slow lost", "slow", "loss", false),
          new Figure("flood16k worst fast-member ms", "flood16k", "max_ms", false),
          new Figure("flood16k lost", "flood16k", "loss", false));

  private final Results results;
  private final String subject;
  private final List<Figure> figures = new ArrayList<>();

  /** The figures of {@code results} whose scenario ran; ratios are {@code subject / other}. */
  public KeyFigures(Results results, String subject) {
    this.results = results;
    this.subject = subject;
    for (Figure f : FIGURES) {
      if (results.scenarios().contains(f.scenario())) {
        figures.add(f);
      }
    }
  }

  /** Rows of the figures table: header, then one row per server. */
  List<List<String>> figureRows() {
    List<List<String>> rows = new ArrayList<>();
    List<String> header = new ArrayList<>(List.of("server"));
    figures.forEach(f -> header.add(f.label()));
    rows.add(header);
    for (String s : results.servers()) {
      List<String> row = new ArrayList<>(List.of(s));
      for (Figure f : figures) {
        row.add(Stats.fmt(results.median(s, f.scenario(), f.metric())));
      }
      rows.add(row);
    }
    return rows;
  }

  /** Rows of the ratio table: header, the better direction, then one row per other server. */
  List<List<String>> ratioRows() {
    List<List<String>> rows = new ArrayList<>();
    List<String> header = new ArrayList<>(List.of(subject + " / peer"));
    List<String> better = new ArrayList<>(List.of("better when"));
    for (Figure f : figures) {
      header.add(f.label());
      better.add(f.higherIsBetter() ? "> 1" : "< 1");
    }
    rows.add(header);
    rows.add(better);
    for (String s : results.servers()) {
      if (s.equals(subject)) {
        continue;
      }
      List<String> row = new ArrayList<>(List.of(s));
      for (Figure f : figures) {
        row.add(
            Stats.fmtRatio(
                Stats.ratio(
                    results.median(subject, f.scenario(), f.metric()),
                    results.median(s, f.scenario(), f.metric()))));
      }
      rows.add(row);
    }
    return rows;
  }

  /** Prints both tables, aligned, with the skip and failure notes under them. */
  public void print(PrintStream out, int reps) {
    if (figures.isEmpty()) {
      return;
    }
    out.printf(
        "%n== key figures: medians of %d repetition(s); floor = the harness's minimal NIO writer"
            + " (one write per delivery), not a product ==%n",
        reps);
    printAligned(out, figureRows());
    out.printf("%n== %s / each peer (ratio of the medians above) ==%n", subject);
    printAligned(out, ratioRows());
  }

  private static void printAligned(PrintStream out, List<List<String>> rows) {
    int[] w = new int[rows.get(0).size()];
    for (List<String> r : rows) {
      for (int i = 0; i < r.size(); i++) {
        w[i] = Math.max(w[i], r.get(i).length());
      }
    }
    for (List<String> r : rows) {
      StringBuilder b = new StringBuilder();
      for (int i = 0; i < r.size(); i++) {
        String fmt = i == 0 ? "%-" + w[i] + "s  " : "%" + w[i] + "s  ";
        b.append(String.format(fmt, r.get(i)));
      }
      out.println(b.toString().stripTrailing());
    }
  }

  /** Writes {@code table.md}: both tables as Markdown, plus the notes (skipped, failed). */
  public void writeMarkdown(Path dir, int reps) throws IOException {
    StringBuilder b = new StringBuilder();
    b.append("Medians of ")
        .append(reps)
        .append(" repetition(s). `floor` is the harness's own")
        .append(" minimal NIO server (one write per delivery), not a product.\n\n");
    markdown(b, figureRows());
    b.append("\nRatios ").append(subject).append(" / peer of the medians above:\n\n");
    markdown(b, ratioRows());
    Map<String, String> notes = results.notes();
    if (!notes.isEmpty()) {
      b.append('\n');
      notes.forEach((k, v) -> b.append("- ").append(k).append(": ").append(v).append('\n'));
    }
    Files.writeString(dir.resolve("table.md"), b.toString(), StandardCharsets.UTF_8);
  }

  private static void markdown(StringBuilder b, List<List<String>> rows) {
    for (int r = 0; r < rows.size(); r++) {
      b.append("| ").append(String.join(" | ", rows.get(r))).append(" |\n");
      if (r == 0) {
        b.append("| --- |").append(" ---: |".repeat(rows.get(0).size() - 1)).append('\n');
      }
    }
  }
}
