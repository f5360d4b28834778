package dev.roomcast.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.Stroke;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import javax.imageio.ImageIO;

/**
 * Draws the sweep as a PNG: latency percentiles (log scale) and delivered messages/s against room
 * size, one colour per server. Plain java.awt in headless mode, so producing the figure needs
 * neither Python nor a plotting dependency.
 */
public final class Plot {
  /** One point of the sweep: medians for one server at one room size. */
  public record Point(double p50, double p99, double p999, double deliveredPerS) {}

  private static final Color[] PALETTE = {
    new Color(0xD62728),
    new Color(0x1F77B4),
    new Color(0x2CA02C),
    new Color(0x9467BD),
    new Color(0xFF7F0E),
    // seven servers since the vertx, go-gorilla, spring-boot peers and the floor joined
    new Color(0x8C564B),
    new Color(0xE377C2),
    new Color(0x7F7F7F)
  };
  private static final int W = 1400;
  private static final int H = 600;
  private static final int TOP = 60;
  private static final int BOTTOM = 500;

  private Plot() {}

  /** Collects sweep medians from the results, keyed by server then room size. */
  public static Map<String, TreeMap<Integer, Point>> sweep(Results results) {
    Map<String, TreeMap<Integer, Point>> data = new LinkedHashMap<>();
    for (String s : results.servers()) {
      TreeMap<Integer, Point> pts = new TreeMap<>();
      for (String metric : results.metrics("sweep")) {
        if (!metric.endsWith(".p99_ms")) {
          continue;
        }
        String prefix = metric.substring(0, metric.indexOf('.'));
        int members = Integer.parseInt(prefix.substring(1));
        Point p =
            new Point(
                results.median(s, "sweep", prefix + ".p50_ms"),
                results.median(s, "sweep", prefix + ".p99_ms"),
                results.median(s, "sweep", prefix + ".p999_ms"),
                results.median(s, "sweep", prefix + ".delivered_per_s"));
        if (Double.isFinite(p.p99())) {
          pts.put(members, p);
        }
      }
      if (!pts.isEmpty()) {
        data.put(s, pts);
      }
    }
    return data;
  }

  /** Renders {@code data} to {@code file}; returns false when there is nothing to plot. */
  public static boolean write(Map<String, TreeMap<Integer, Point>> data, double rate, Path file)
      throws IOException {
    if (data.isEmpty()) {
      return false;
    }
    BufferedImage img = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setRenderingHint(
        RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, W, H);
    g.setColor(Color.BLACK);
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
    g.drawString(
        String.format(
            Locale.ROOT,
            "roomcast-bench sweep: one room, %.0f msg/s published, N members (medians)",
            rate),
        70,
        30);

    int maxMembers = 0;
    double minLat = Double.MAX_VALUE;
    double maxLat = 0;
    double maxThr = 0;
    for (TreeMap<Integer, Point> pts : data.values()) {
      maxMembers = Math.max(maxMembers, pts.lastKey());
      for (Point p : pts.values()) {
        for (double v : new double[] {p.p50(), p.p99(), p.p999()}) {
          if (Double.isFinite(v) && v > 0) {
            minLat = Math.min(minLat, v);
            maxLat = Math.max(maxLat, v);
          }
        }
        if (Double.isFinite(p.deliveredPerS())) {
          maxThr = Math.max(maxThr, p.deliveredPerS());
        }
      }
    }
    if (maxLat == 0) {
      minLat = 0.1;
      maxLat = 1;
    }
    double loDec = Math.floor(Math.log10(minLat));
    double hiDec = Math.max(loDec + 1, Math.ceil(Math.log10(maxLat)));
    double xMax = niceCeil(maxMembers);
    double thrMax = niceCeil(maxThr == 0 ? 1 : maxThr * 1.05);

    Panel lat = new Panel(80, 660, "members", "latency ms (log)");
    Panel thr = new Panel(790, 1370, "members", "delivered msg/s");
    lat.frame(g, xMax);
    thr.frame(g, xMax);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    for (double d = loDec; d <= hiDec; d++) {
      int y = lat.yLog(Math.pow(10, d), loDec, hiDec);
      g.setColor(new Color(0xDDDDDD));
      g.drawLine(lat.x0, y, lat.x1, y);
      g.setColor(Color.BLACK);
      g.drawString(fmtTick(Math.pow(10, d)), lat.x0 - 55, y + 4);
    }
    for (int i = 0; i <= 5; i++) {
      double v = thrMax * i / 5;
      int y = thr.yLin(v, thrMax);
      g.setColor(new Color(0xDDDDDD));
      g.drawLine(thr.x0, y, thr.x1, y);
      g.setColor(Color.BLACK);
      g.drawString(fmtTick(v), thr.x0 - 60, y + 4);
    }

    // borders last, so grid lines do not paint over them
    lat.frame(g, xMax);
    thr.frame(g, xMax);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    Stroke[] styles = {
      new BasicStroke(2.2f),
      new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {9, 5}, 0),
      new BasicStroke(2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND, 10f, new float[] {2, 5}, 0)
    };
    int si = 0;
    for (Map.Entry<String, TreeMap<Integer, Point>> e : data.entrySet()) {
      Color c = PALETTE[si % PALETTE.length];
      TreeMap<Integer, Point> pts = e.getValue();
      for (int k = 0; k < 3; k++) {
        int kk = k;
        series(g, c, styles[k], pts, xMax, lat, p -> lat.yLog(pick(p, kk), loDec, hiDec));
      }
      series(g, c, styles[0], pts, xMax, thr, p -> thr.yLin(p.deliveredPerS(), thrMax));
      // legend: one row per server
      int ly = BOTTOM + 60;
      int lx = 80 + si * 230;
      g.setColor(c);
      g.setStroke(styles[0]);
      g.drawLine(lx, ly - 4, lx + 30, ly - 4);
      g.setColor(Color.BLACK);
      g.drawString(e.getKey(), lx + 38, ly);
      si++;
    }
    int lx = 800;
    String[] names = {"p50", "p99", "p99.9"};
    for (int k = 0; k < 3; k++) {
      g.setColor(Color.DARK_GRAY);
      g.setStroke(styles[k]);
      g.drawLine(lx + k * 150, BOTTOM + 56, lx + k * 150 + 40, BOTTOM + 56);
      g.drawString(names[k] + " (left)", lx + k * 150 + 48, BOTTOM + 60);
    }
    g.dispose();
    return ImageIO.write(img, "png", file.toFile());
  }

  private static double pick(Point p, int k) {
    return switch (k) {
      case 0 -> p.p50();
      case 1 -> p.p99();
      default -> p.p999();
    };
  }

  private interface Y {
    int of(Point p);
  }

  private static void series(
      Graphics2D g, Color c, Stroke s, TreeMap<Integer, Point> pts, double xMax, Panel panel, Y y) {
    g.setColor(c);
    g.setStroke(s);
    int px = -1;
    int py = -1;
    for (Map.Entry<Integer, Point> e : pts.entrySet()) {
      int x = panel.x(e.getKey(), xMax);
      int yy = y.of(e.getValue());
      if (yy == Integer.MIN_VALUE) {
        continue;
      }
      if (px >= 0) {
        g.drawLine(px, py, x, yy);
      }
      g.fillOval(x - 3, yy - 3, 7, 7);
      px = x;
      py = yy;
    }
    g.setStroke(new BasicStroke(1f));
  }

  private static final class Panel {
    final int x0;
    final int x1;
    final String xLabel;
    final String yLabel;

    Panel(int x0, int x1, String xLabel, String yLabel) {
      this.x0 = x0;
      this.x1 = x1;
      this.xLabel = xLabel;
      this.yLabel = yLabel;
    }

    int x(double v, double xMax) {
      return x0 + (int) Math.round((x1 - x0) * v / xMax);
    }

    int yLin(double v, double max) {
      if (!Double.isFinite(v)) {
        return Integer.MIN_VALUE;
      }
      return BOTTOM - (int) Math.round((BOTTOM - TOP) * v / max);
    }

    int yLog(double v, double lo, double hi) {
      if (!Double.isFinite(v) || v <= 0) {
        return Integer.MIN_VALUE;
      }
      double f = (Math.log10(v) - lo) / (hi - lo);
      return BOTTOM - (int) Math.round((BOTTOM - TOP) * Math.max(0, Math.min(1, f)));
    }

    void frame(Graphics2D g, double xMax) {
      g.setColor(Color.BLACK);
      g.setStroke(new BasicStroke(1f));
      g.drawRect(x0, TOP, x1 - x0, BOTTOM - TOP);
      g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
      for (int i = 0; i <= 5; i++) {
        double v = xMax * i / 5;
        int x = x(v, xMax);
        g.drawLine(x, BOTTOM, x, BOTTOM + 5);
        g.drawString(fmtTick(v), x - 10, BOTTOM + 20);
      }
      g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
      g.drawString(xLabel, (x0 + x1) / 2 - 25, BOTTOM + 38);
      g.drawString(yLabel, x0, TOP - 8);
    }
  }

  static double niceCeil(double v) {
    double mag = Math.pow(10, Math.floor(Math.log10(v)));
    for (double m : List.of(1.0, 2.0, 2.5, 5.0, 10.0)) {
      if (m * mag >= v) {
        return m * mag;
      }
    }
    return 10 * mag;
  }

  private static String fmtTick(double v) {
    if (v == 0) {
      return "0";
    }
    if (v >= 1_000_000) {
      return String.format(Locale.ROOT, "%.1fM", v / 1e6);
    }
    if (v >= 10_000) {
      return String.format(Locale.ROOT, "%.0fk", v / 1e3);
    }
    if (v >= 1) {
      return String.format(Locale.ROOT, "%.0f", v);
    }
    return String.format(Locale.ROOT, "%.2g", v);
  }
}
