package dev.roomcast.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Reads CPU time and resident memory of a server process tree from {@code /proc}.
 *
 * <p>The whole tree (pid plus descendants) is summed so that a server started through a wrapper
 * script is still measured correctly. {@code cutime/cstime} are not used: they only cover children
 * that have already exited and been reaped.
 */
public final class ProcStats {
  private static final long CLK_TCK = detectClockTicks();

  private ProcStats() {}

  /** A CPU/RSS reading of one process tree. */
  public record Sample(long cpuTicks, long rssKb, long nanoTime) {
    /** CPU microseconds between {@code earlier} and this sample. */
    public double cpuMicrosSince(Sample earlier) {
      return (cpuTicks - earlier.cpuTicks) * 1_000_000.0 / CLK_TCK;
    }
  }

  /** Kernel clock ticks per second ({@code getconf CLK_TCK}), 100 if it cannot be determined. */
  public static long clockTicks() {
    return CLK_TCK;
  }

  /** Samples the tree rooted at {@code pid}; zero readings for processes that vanished. */
  public static Sample sample(long pid) {
    long ticks = 0;
    long rss = 0;
    for (long p : tree(pid)) {
      ticks += readTicks(p);
      rss += readRssKb(p);
    }
    return new Sample(ticks, rss, System.nanoTime());
  }

  /** Sums samples of several trees (the two instances of the redis scenario). */
  public static Sample sample(List<Long> pids) {
    long ticks = 0;
    long rss = 0;
    for (long pid : pids) {
      Sample s = sample(pid);
      ticks += s.cpuTicks();
      rss += s.rssKb();
    }
    return new Sample(ticks, rss, System.nanoTime());
  }

  /**
   * Busy and total jiffies of the whole host from the first line of {@code /proc/stat}. On a shared
   * machine this shows whether other tenants were competing for the CPU during a run.
   */
  public static long[] hostTicks() {
    try {
      String first = Files.readAllLines(Path.of("/proc/stat")).get(0);
      return parseHostTicks(first);
    } catch (IOException | RuntimeException e) {
      return new long[] {0, 0};
    }
  }

  /** {@code {busy, total}} from a {@code /proc/stat} "cpu" line; idle and iowait are not busy. */
  public static long[] parseHostTicks(String cpuLine) {
    String[] f = cpuLine.trim().split("\\s+");
    if (!f[0].equals("cpu")) {
      throw new IllegalArgumentException("not the aggregate cpu line: " + cpuLine);
    }
    long total = 0;
    long idle = 0;
    // user nice system idle iowait irq softirq steal; guest time is already inside user
    for (int i = 1; i < Math.min(f.length, 9); i++) {
      long v = Long.parseLong(f[i]);
      total += v;
      if (i == 4 || i == 5) {
        idle += v;
      }
    }
    return new long[] {total - idle, total};
  }

  /** Host CPU busy percentage between two {@link #hostTicks()} readings (100 = all cores). */
  public static double hostBusyPct(long[] before, long[] after) {
    return Stats.ratio(after[0] - before[0], after[1] - before[1]) * 100.0;
  }

  private static List<Long> tree(long pid) {
    List<Long> pids = new ArrayList<>();
    pids.add(pid);
    ProcessHandle.of(pid).ifPresent(h -> h.descendants().forEach(d -> pids.add(d.pid())));
    return pids;
  }

  private static long readTicks(long pid) {
    try {
      return parseStatTicks(Files.readString(Path.of("/proc", Long.toString(pid), "stat")));
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }

  private static long readRssKb(long pid) {
    try {
      return parseVmRssKb(Files.readString(Path.of("/proc", Long.toString(pid), "status")));
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }

  /**
   * Returns utime+stime (fields 14 and 15) of a {@code /proc/<pid>/stat} line, in clock ticks.
   *
   * <p>The command name (field 2) is parenthesised and may itself contain spaces and parentheses,
   * so fields are counted from the last ')'.
   */
  public static long parseStatTicks(String statLine) {
    int close = statLine.lastIndexOf(')');
    if (close < 0) {
      throw new IllegalArgumentException("not a /proc stat line: " + statLine);
    }
    String[] rest = statLine.substring(close + 1).trim().split("\\s+");
    // rest[0] is field 3 (state), so field n is rest[n - 3]
    return Long.parseLong(rest[14 - 3]) + Long.parseLong(rest[15 - 3]);
  }

  /** Returns VmRSS in kB from the text of {@code /proc/<pid>/status}, 0 if absent (zombie). */
  public static long parseVmRssKb(String status) {
    for (String line : status.split("\n")) {
      if (line.startsWith("VmRSS:")) {
        String[] parts = line.substring(6).trim().split("\\s+");
        return Long.parseLong(parts[0]);
      }
    }
    return 0;
  }

  private static long detectClockTicks() {
    try {
      Process p = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
      if (p.waitFor(5, TimeUnit.SECONDS) && p.exitValue() == 0) {
        long v = Long.parseLong(out);
        if (v > 0) {
          return v;
        }
      }
    } catch (IOException | NumberFormatException e) {
      // fall through to the Linux default
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return 100;
  }
}
