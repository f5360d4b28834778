package dev.roomcast.bench.jmh;

import dev.roomcast.Connection;
import dev.roomcast.Hub;
import dev.roomcast.JoinRequest;
import dev.roomcast.NoticePolicy;
import dev.roomcast.spi.OutboundFrame;
import dev.roomcast.spi.Transport;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * One broadcast to a room of N members through a real {@link Hub} (in-memory backplane: offset and
 * history append, sequencer, encode once, N outbox enqueues), with a transport that completes every
 * send inline, so the figure is the hub's own CPU per broadcast without any I/O. Divide by N for
 * the cost per delivery.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xmx512m"})
public class BroadcastBenchmark {

  @Param({"10", "100", "1000"})
  public int members;

  private Hub hub;
  private final List<Connection> connections = new ArrayList<>();
  private InlineTransport[] transports;
  private String content;

  /** Completes every send before returning, like a socket whose buffer always has room. */
  static final class InlineTransport implements Transport {
    long sent;
    long bytes;

    @Override
    public void send(OutboundFrame frame, WriteCallback done) {
      sent++;
      bytes += frame.byteLength();
      done.completed(null);
    }

    @Override
    public void close(int code, String reason) {}
  }

  @Setup(Level.Trial)
  public void setUp() {
    hub = Hub.builder().notices(NoticePolicy.never()).build();
    transports = new InlineTransport[members];
    for (int i = 0; i < members; i++) {
      transports[i] = new InlineTransport();
      connections.add(hub.join(JoinRequest.to("bench"), transports[i]));
    }
    content = "{\"r\":1,\"s\":12345,\"t\":1732761600000000,\"text\":\"hello, room\"}";
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    long expected = transports[0].sent;
    for (InlineTransport t : transports) {
      if (t.sent != expected) {
        throw new IllegalStateException("uneven delivery: " + t.sent + " vs " + expected);
      }
    }
    for (Connection c : connections) {
      c.transportClosed();
    }
    hub.close();
  }

  /** hub.publish: validate content, append to history, deliver to every member. */
  @Benchmark
  public void publish(Blackhole bh) {
    bh.consume(hub.publish("bench", content));
  }
}
