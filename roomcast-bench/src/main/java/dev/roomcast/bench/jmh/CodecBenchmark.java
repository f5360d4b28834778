package dev.roomcast.bench.jmh;

import dev.roomcast.internal.WireCodec;
import dev.roomcast.spi.OutboundFrame;
import dev.roomcast.spi.RoomMessage;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The wire codec: encoding a room message once per broadcast ({@link WireCodec#message}, including
 * the UTF-8 bytes every recipient shares) and decoding a client frame ({@link
 * WireCodec#decodeContent}, once per publish).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xmx512m"})
public class CodecBenchmark {

  private final WireCodec codec = new WireCodec(32, 64 * 1024);
  private final RoomMessage message =
      new RoomMessage(
          "bench",
          "e-3f9c2a",
          123456,
          "client-7f3a",
          "{\"r\":1,\"s\":12345,\"t\":1732761600000000,\"text\":\"hello, room\"}",
          "2026-11-28T03:30:00.123Z",
          "node-1");
  private final String clientFrame =
      "{\"content\":{\"r\":1,\"s\":12345,\"t\":1732761600000000,\"text\":\"hello, room\"}}";

  /** Encode one room message (once per broadcast, shared by all recipients). */
  @Benchmark
  public OutboundFrame encodeMessage() {
    return codec.message(message);
  }

  /** Decode and compact one client frame's content (once per publish). */
  @Benchmark
  public String decodeClientFrame() {
    return codec.decodeContent(clientFrame);
  }
}
