package dev.roomcast.bench;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

/** Small pure helpers for summarising repetitions; kept separate so they are unit-testable. */
public final class Stats {
  private Stats() {}

  /**
   * Median of the finite values, NaN if there are none. Even counts average the middle two, so a
   * median of repetitions is not biased towards the lower run.
   */
  public static double median(Collection<Double> values) {
    List<Double> v = new ArrayList<>();
    for (Double d : values) {
      if (d != null && Double.isFinite(d)) {
        v.add(d);
      }
    }
    if (v.isEmpty()) {
      return Double.NaN;
    }
    v.sort(Double::compare);
    int n = v.size();
    return n % 2 == 1 ? v.get(n / 2) : (v.get(n / 2 - 1) + v.get(n / 2)) / 2.0;
  }

  /** {@code a / b}, NaN when either is missing or {@code b} is zero. */
  public static double ratio(double a, double b) {
    if (!Double.isFinite(a) || !Double.isFinite(b) || b == 0.0) {
      return Double.NaN;
    }
    return a / b;
  }

  /** Per-unit figure such as CPU µs per delivery; NaN when nothing was delivered. */
  public static double perUnit(double total, long units) {
    return units <= 0 ? Double.NaN : total / units;
  }

  /**
   * Formats a figure for the results table: three significant figures for small values, whole
   * numbers from 1000 up, "-" for missing.
   */
  public static String fmt(double v) {
    if (!Double.isFinite(v)) {
      return "-";
    }
    double a = Math.abs(v);
    if (a == 0) {
      return "0";
    }
    if (a >= 1000) {
      return String.format(Locale.ROOT, "%.0f", v);
    }
    if (a >= 100) {
      return String.format(Locale.ROOT, "%.1f", v);
    }
    if (a >= 10) {
      return String.format(Locale.ROOT, "%.2f", v);
    }
    if (a >= 0.01) {
      return String.format(Locale.ROOT, "%.3f", v);
    }
    return String.format(Locale.ROOT, "%.2e", v);
  }

  /** Formats a ratio as e.g. {@code 1.23x}, "-" for missing. */
  public static String fmtRatio(double r) {
    return Double.isFinite(r) ? String.format(Locale.ROOT, "%.2fx", r) : "-";
  }
}
