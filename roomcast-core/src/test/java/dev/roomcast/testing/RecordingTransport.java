package dev.roomcast.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.roomcast.spi.OutboundFrame;
import dev.roomcast.spi.Transport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * An in-process {@link Transport} for tests: records every frame written, can stall (hold every
 * write's completion until {@link #unstall()}), and records the close code. Thread-safe.
 */
public class RecordingTransport implements Transport {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final List<OutboundFrame> frames = new ArrayList<>();
  private final AtomicInteger inFlight = new AtomicInteger();
  private volatile int maxInFlight;
  private WriteCallback stalledCallback;
  private boolean stalled;
  private volatile int closeCode = -1;
  private volatile String closeReason;
  private volatile long closedAtNanos;

  /** Holds each write's completion until {@link #unstall()}: a client that stopped reading. */
  public synchronized void stall() {
    stalled = true;
  }

  /** Completes the held write and stops stalling. */
  public void unstall() {
    WriteCallback cb;
    synchronized (this) {
      stalled = false;
      cb = stalledCallback;
      stalledCallback = null;
    }
    if (cb != null) {
      inFlight.decrementAndGet();
      cb.completed(null);
    }
  }

  @Override
  public void send(OutboundFrame frame, WriteCallback done) {
    int now = inFlight.incrementAndGet();
    maxInFlight = Math.max(maxInFlight, now);
    synchronized (this) {
      frames.add(frame);
      notifyAll();
      if (stalled) {
        stalledCallback = done;
        return;
      }
    }
    inFlight.decrementAndGet();
    done.completed(null);
  }

  @Override
  public synchronized void close(int code, String reason) {
    if (closeCode == -1) {
      closeCode = code;
      closeReason = reason;
      closedAtNanos = System.nanoTime();
    }
    notifyAll();
  }

  public synchronized List<OutboundFrame> frames() {
    return new ArrayList<>(frames);
  }

  /** Every frame parsed as JSON. */
  public List<JsonNode> json() {
    List<JsonNode> out = new ArrayList<>();
    for (OutboundFrame f : frames()) {
      out.add(parse(f.text()));
    }
    return out;
  }

  /** Frames of {@code "type": type}, parsed. */
  public List<JsonNode> ofType(String type) {
    List<JsonNode> out = new ArrayList<>();
    for (JsonNode n : json()) {
      if (type.equals(n.path("type").asText())) {
        out.add(n);
      }
    }
    return out;
  }

  /** Room message frames ({@code type: message}), parsed. */
  public List<JsonNode> messages() {
    return ofType("message");
  }

  /** The {@code offset} of every message frame, in order. */
  public List<Long> offsets() {
    List<Long> out = new ArrayList<>();
    for (JsonNode n : messages()) {
      out.add(n.path("offset").asLong());
    }
    return out;
  }

  /** The first frame parsed (the welcome, for a joined member). */
  public synchronized JsonNode first() {
    return parse(frames.get(0).text());
  }

  /** Whether the hub closed this transport. */
  public boolean isClosed() {
    return closeCode != -1;
  }

  /** Waits until {@code condition} holds for the recorded frames, or fails after the timeout. */
  public synchronized void await(Predicate<List<OutboundFrame>> condition, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.test(frames)) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        int n = frames.size();
        throw new AssertionError(
            "condition not met within "
                + timeout
                + "; "
                + n
                + " frames, last: "
                + frames.subList(Math.max(0, n - 3), n));
      }
      wait(Math.max(1, left / 1_000_000));
    }
  }

  /** Waits until {@code n} frames of the given type arrived. */
  public void awaitType(String type, int n, Duration timeout) throws InterruptedException {
    await(
        fs -> fs.stream().filter(f -> f.text().contains("\"type\":\"" + type + "\"")).count() >= n,
        timeout);
  }

  /** Waits for a close and returns the code. */
  public synchronized int awaitClose(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (closeCode == -1) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new AssertionError("not closed within " + timeout);
      }
      wait(Math.max(1, left / 1_000_000));
    }
    return closeCode;
  }

  public int closeCode() {
    return closeCode;
  }

  /** {@link System#nanoTime()} when the hub closed this transport (0 if it did not). */
  public long closedAtNanos() {
    return closedAtNanos;
  }

  public String closeReason() {
    return closeReason;
  }

  /** The most sends that were ever in flight at once. */
  public int maxInFlight() {
    return maxInFlight;
  }

  public static JsonNode parse(String text) {
    try {
      return JSON.readTree(text);
    } catch (Exception e) {
      throw new AssertionError("not JSON: " + text, e);
    }
  }
}
