package dev.roomcast.bench.jmh;

import dev.roomcast.OutboxLimits;
import dev.roomcast.internal.Outbox;
import dev.roomcast.spi.OutboundFrame;
import dev.roomcast.spi.Transport;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One connection's outbox: enqueue with the writer idle (the common case: the previous send has
 * completed, the frame goes straight to the transport), and a burst of 64 frames queued behind a
 * send in flight and then drained by completions.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xmx512m"})
public class OutboxBenchmark {
  static final int BURST = 64;

  /** Either completes inline or parks the callback until {@link #complete()}. */
  static final class Deferred implements Transport {
    boolean inline = true;
    Transport.WriteCallback pending;
    long sent;

    @Override
    public void send(OutboundFrame frame, WriteCallback done) {
      sent++;
      if (inline) {
        done.completed(null);
      } else {
        pending = done;
      }
    }

    void complete() {
      Transport.WriteCallback d = pending;
      pending = null;
      d.completed(null);
    }

    @Override
    public void close(int code, String reason) {}
  }

  static final class Counting implements Outbox.Listener {
    @Override
    public void onBudgetExhausted() {}

    long written;

    @Override
    public void onOverflow() {
      throw new IllegalStateException("overflow");
    }

    @Override
    public void onWriteFailed(Throwable failure) {
      throw new IllegalStateException(failure);
    }

    @Override
    public void onWritten(OutboundFrame frame) {
      written++;
    }
  }

  private final OutboundFrame frame =
      OutboundFrame.roomMessage(
          "{\"type\":\"message\",\"client_id\":\"c\",\"content\":\"hi\",\"offset\":1}", "e", 1);
  private Deferred transport;
  private Outbox outbox;

  @Setup(Level.Iteration)
  public void setUp() {
    transport = new Deferred();
    outbox = new Outbox(transport, OutboxLimits.defaults(), new Counting());
  }

  /** One frame into an idle outbox, sent and completed inline. */
  @Benchmark
  public boolean offerIdle() {
    transport.inline = true;
    return outbox.offer(frame);
  }

  /** 64 frames queued behind a send in flight, then drained one completion at a time. */
  @Benchmark
  @OperationsPerInvocation(BURST)
  public int offerBurstThenDrain() {
    transport.inline = false;
    for (int i = 0; i < BURST; i++) {
      outbox.offer(frame);
    }
    while (transport.pending != null) {
      transport.complete();
    }
    return outbox.queuedFrames();
  }
}
