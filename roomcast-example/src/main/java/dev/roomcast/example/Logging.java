package dev.roomcast.example;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.logging.ConsoleHandler;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * java.util.logging set up for a container: one line per record on stderr, {@code LOG_LEVEL} for
 * roomcast's loggers ({@code debug} shows connection events), warnings and up for the libraries
 * (everything with {@code trace}).
 *
 * <p>{@link ShutdownSafeLogManager} keeps logging alive while the SIGTERM hook drains: the JDK's
 * own {@code LogManager} resets (silences) every logger in a shutdown hook of its own that races
 * ours. {@link Main} installs it before anything logs.
 */
final class Logging {
  private Logging() {}

  static void configure(Level level) {
    Logger root = Logger.getLogger("");
    for (Handler h : root.getHandlers()) {
      root.removeHandler(h);
    }
    ConsoleHandler console = new ConsoleHandler(); // stderr
    console.setLevel(Level.ALL);
    console.setFormatter(new OneLine());
    root.addHandler(console);
    boolean trace = level.intValue() <= Level.FINEST.intValue();
    root.setLevel(trace ? level : maxSeverity(level, Level.WARNING));
    Logger.getLogger("dev.roomcast").setLevel(level);
  }

  private static Level maxSeverity(Level a, Level b) {
    return a.intValue() >= b.intValue() ? a : b;
  }

  /** {@code 2025-01-01T00:00:00.123Z INFO ExampleServer: message}. */
  static final class OneLine extends Formatter {
    @Override
    public String format(LogRecord r) {
      StringBuilder sb = new StringBuilder(160);
      sb.append(Instant.ofEpochMilli(r.getMillis()))
          .append(' ')
          .append(r.getLevel().getName())
          .append(' ');
      String name = r.getLoggerName();
      sb.append(name == null ? "-" : name.substring(name.lastIndexOf('.') + 1))
          .append(": ")
          .append(formatMessage(r));
      if (r.getThrown() != null) {
        StringWriter w = new StringWriter();
        r.getThrown().printStackTrace(new PrintWriter(w));
        sb.append(System.lineSeparator()).append(w.toString().stripTrailing());
      }
      return sb.append(System.lineSeparator()).toString();
    }
  }
}
