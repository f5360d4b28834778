package dev.roomcast.example;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Collects what every logger prints at {@code level} and above while open. Test classes run in
 * parallel in one JVM, so callers match records by something only their own requests carry (a room
 * name, a path).
 */
final class LogCapture extends Handler implements AutoCloseable {
  private final List<LogRecord> records = new ArrayList<>();
  private final Logger root = Logger.getLogger("");

  LogCapture(Level level) {
    setLevel(level);
    root.addHandler(this);
  }

  @Override
  public synchronized void publish(LogRecord record) {
    if (isLoggable(record)) {
      records.add(record);
    }
  }

  /** Records whose message or thrown exception mentions {@code text}. */
  synchronized List<LogRecord> mentioning(String text) {
    List<LogRecord> out = new ArrayList<>();
    for (LogRecord r : records) {
      String message = String.valueOf(r.getMessage());
      String thrown = r.getThrown() == null ? "" : String.valueOf(r.getThrown());
      if (message.contains(text) || thrown.contains(text)) {
        out.add(r);
      }
    }
    return out;
  }

  /** Every record with a stack trace. */
  synchronized List<LogRecord> withTraces() {
    return records.stream().filter(r -> r.getThrown() != null).toList();
  }

  @Override
  public void flush() {}

  @Override
  public void close() {
    root.removeHandler(this);
  }
}
