package dev.roomcast.jakarta.sse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.roomcast.HandshakeRequest;
import dev.roomcast.Hub;
import dev.roomcast.JoinRejectedException;
import dev.roomcast.OutboxLimits;
import dev.roomcast.Published;
import dev.roomcast.spi.Transport.WriteCallback;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link SseEndpoint} and {@link SseStream} against a real hub, with a recording sink. */
class SseStreamTest {
  static final ObjectMapper JSON = new ObjectMapper();

  Hub hub = Hub.builder().outboxLimits(new OutboxLimits(8, 1 << 20)).build();
  SseEndpoint sse =
      SseEndpoint.create(
          hub,
          SseConfig.builder()
              .retry(Duration.ofMillis(500))
              .heartbeat(Duration.ofMillis(50))
              .writeTimeout(Duration.ofMillis(200))
              .build());

  @AfterEach
  void close() {
    hub.close();
    sse.close();
  }

  /** Records events; completes writes at once unless told to hold them. */
  static final class RecordingSink implements SseStream.Sink {
    final List<String> writes = new ArrayList<>();
    final List<byte[]> raw = new ArrayList<>();
    final List<WriteCallback> held = new ArrayList<>();
    final AtomicInteger overlaps = new AtomicInteger();
    volatile boolean hold;
    volatile boolean closed;
    private boolean inFlight;

    @Override
    public void write(byte[] bytes, WriteCallback done) {
      synchronized (this) {
        if (inFlight) {
          overlaps.incrementAndGet();
        }
        inFlight = true;
        writes.add(new String(bytes, StandardCharsets.UTF_8));
        raw.add(bytes);
        if (hold) {
          held.add(done);
          return;
        }
        inFlight = false;
      }
      done.completed(null);
    }

    /** Completes the held writes, in order. */
    void release() {
      hold = false;
      List<WriteCallback> cbs;
      synchronized (this) {
        cbs = new ArrayList<>(held);
        held.clear();
        inFlight = false;
      }
      cbs.forEach(cb -> cb.completed(null));
    }

    @Override
    public void close() {
      closed = true;
    }

    synchronized List<String> writes() {
      return List.copyOf(writes);
    }

    /** The data of every event that is not a heartbeat, parsed. */
    List<JsonNode> data() {
      List<JsonNode> out = new ArrayList<>();
      for (String w : writes()) {
        for (String line : w.split("\n")) {
          if (line.startsWith("data: ")) {
            try {
              out.add(JSON.readTree(line.substring(6)));
            } catch (Exception e) {
              throw new AssertionError(e);
            }
          }
        }
      }
      return out;
    }

    List<JsonNode> messages() {
      return data().stream().filter(n -> n.path("type").asText().equals("message")).toList();
    }
  }

  static HandshakeRequest get(String room, Map<String, List<String>> headers) {
    return HandshakeRequest.of(room, headers, Map.of(), "127.0.0.1");
  }

  static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime() < deadline).as(what).isTrue();
      Thread.sleep(5);
    }
  }

  Published publish(String room, String content) throws Exception {
    return hub.publish(room, content).toCompletableFuture().get(5, TimeUnit.SECONDS);
  }

  @Test
  void retryFirstThenTheWelcomeWithItsPositionThenMessagesWithIds() throws Exception {
    Published first = publish("s1", "\"before\"");
    SseStream stream = sse.open(get("s1", Map.of()));
    RecordingSink sink = new RecordingSink();
    Thread.sleep(20); // the welcome is already queued, and must wait for start
    assertThat(sink.writes()).isEmpty();
    stream.start(sink);
    publish("s1", "{\"n\":1}");
    await("the message", () -> sink.messages().size() == 1);

    assertThat(sink.writes().get(0)).isEqualTo("retry: 500\n\n");
    // Heartbeats (every 50 ms here) may fall between the later events on a loaded machine.
    List<String> w = sink.writes().stream().filter(e -> !e.equals(": heartbeat\n\n")).toList();
    assertThat(w.get(0)).isEqualTo("retry: 500\n\n");
    assertThat(w.get(1))
        .startsWith(
            "id: " + first.epoch() + ":1\ndata: {\"type\":\"system\",\"message\":\"Welcome");
    assertThat(w.get(2))
        .startsWith("id: " + first.epoch() + ":2\ndata: {\"type\":\"message\"")
        .endsWith("\"offset\":2,\"epoch\":\"" + first.epoch() + "\"}\n\n");
    assertThat(sink.messages().get(0).path("content").path("n").asInt()).isEqualTo(1);
    assertThat(hub.roomSize("s1")).isEqualTo(1);
    assertThat(sse.openStreams()).isEqualTo(1);
    assertThat(hub.metrics().connections()).isEqualTo(1);
  }

  @Test
  void lastEventIdResumesWithExactlyTheMissedMessages() throws Exception {
    Published p = null;
    for (int i = 1; i <= 5; i++) {
      p = publish("s2", Integer.toString(i));
    }
    SseStream stream = sse.open(get("s2", Map.of("Last-Event-ID", List.of(p.epoch() + ":2"))));
    RecordingSink sink = new RecordingSink();
    stream.start(sink);
    await("three missed", () -> sink.messages().size() == 3);
    JsonNode welcome = sink.data().get(0);
    assertThat(welcome.path("recovered").asBoolean()).isTrue();
    assertThat(welcome.path("offset").asLong()).isEqualTo(2);
    assertThat(sink.messages())
        .extracting(m -> m.path("offset").asLong())
        .containsExactly(3L, 4L, 5L);

    SseStream unknown = sse.open(get("s2", Map.of("Last-Event-ID", List.of("nosuchepoch:2"))));
    RecordingSink sink2 = new RecordingSink();
    unknown.start(sink2);
    await("the current epoch replayed", () -> sink2.messages().size() == 5);
    assertThat(sink2.data().get(0).path("recovered").asBoolean()).isFalse();
    // an epoch that is gone: the welcome moves the client to the start of the current one, and
    // everything the server holds of it follows
    assertThat(sink2.writes().get(1)).startsWith("id: " + p.epoch() + ":0\n");
    assertThat(sink2.messages())
        .extracting(m -> m.path("offset").asLong())
        .containsExactly(1L, 2L, 3L, 4L, 5L);
  }

  @Test
  void heartbeatsAreWrittenAndNeverOverlapAFrame() throws Exception {
    // Its own endpoint with a long write timeout: the held heartbeat below must not be taken for
    // a stalled client however slowly a loaded machine runs this test.
    SseEndpoint patient =
        SseEndpoint.create(
            hub,
            SseConfig.builder()
                .heartbeat(Duration.ofMillis(50))
                .writeTimeout(Duration.ofSeconds(60))
                .build());
    try {
      heartbeatsNeverOverlapAFrame(patient);
    } finally {
      patient.close();
    }
  }

  private void heartbeatsNeverOverlapAFrame(SseEndpoint sse) throws Exception {
    SseStream stream = sse.open(get("s3", Map.of()));
    RecordingSink sink = new RecordingSink();
    stream.start(sink);
    await(
        "two heartbeats",
        () -> sink.writes().stream().filter(w -> w.equals(": heartbeat\n\n")).count() >= 2);
    // hold the sink: a frame from the hub waits behind the heartbeat in flight
    sink.hold = true;
    await("a held heartbeat", () -> !sink.held.isEmpty());
    publish("s3", "\"x\"");
    Thread.sleep(30);
    assertThat(sink.messages()).isEmpty();
    sink.release();
    await("the message after the heartbeat", () -> sink.messages().size() == 1);
    assertThat(sink.overlaps.get()).isZero();
  }

  @Test
  void aWriteThatNeverFinishesClosesTheStreamAsASlowConsumer() throws Exception {
    SseStream stream = sse.open(get("s4", Map.of()));
    RecordingSink sink = new RecordingSink();
    sink.hold = true;
    stream.start(sink);
    await("closed", () -> sink.closed);
    assertThat(stream.isOpen()).isFalse();
    assertThat(sse.streamsStalled()).isEqualTo(1);
    await("left the room", () -> hub.roomSize("s4") == 0);
    assertThat(sse.openStreams()).isZero();
    sink.release(); // a late completion is harmless
  }

  @Test
  void aClientThatStopsReadingIsCutLooseWhenItsOutboxOverflows() throws Exception {
    SseEndpoint quiet =
        SseEndpoint.create(hub, SseConfig.builder().heartbeat(Duration.ZERO).build());
    try {
      SseStream stream = quiet.open(get("s5", Map.of()));
      RecordingSink sink = new RecordingSink();
      sink.hold = true;
      stream.start(sink);
      for (int i = 0; i < 20; i++) {
        publish("s5", Integer.toString(i));
      }
      await("closed", () -> sink.closed);
      assertThat(hub.metrics().slowConsumersClosed()).isEqualTo(1);
      await("left the room", () -> hub.roomSize("s5") == 0);
    } finally {
      quiet.close();
    }
  }

  @Test
  void theClientGoingAwayLeavesTheRoomAndTheHubClosingEndsTheResponse() throws Exception {
    SseStream a = sse.open(get("s6", Map.of()));
    SseStream b = sse.open(get("s6", Map.of()));
    RecordingSink sa = new RecordingSink();
    RecordingSink sb = new RecordingSink();
    a.start(sa);
    b.start(sb);
    assertThat(hub.roomSize("s6")).isEqualTo(2);
    a.transportClosed();
    assertThat(hub.roomSize("s6")).isEqualTo(1);
    assertThat(a.isOpen()).isFalse();

    hub.drain(Duration.ZERO).get(5, TimeUnit.SECONDS);
    await("b ended by the drain", () -> sb.closed);
    assertThat(sse.openStreams()).isZero();
    // a draining hub refuses new subscribers before anything is streamed
    assertThatThrownBy(() -> sse.open(get("s6", Map.of())))
        .isInstanceOfSatisfying(
            JoinRejectedException.class,
            e -> {
              assertThat(e.httpStatus()).isEqualTo(503);
              // ...which adapters answer with a stream that only says "retry", so EventSource
              // comes back instead of giving up
              assertThat(sse.reconnectLater(e)).isTrue();
            });
    assertThat(new String(sse.retryOnlyBody(), StandardCharsets.UTF_8)).isEqualTo("retry: 500\n\n");
    assertThat(sse.openStreams()).isZero();
  }

  @Test
  void refusalsHappenBeforeAnythingIsStreamed() {
    assertThatThrownBy(() -> sse.open(get(".bad", Map.of())))
        .isInstanceOfSatisfying(
            JoinRejectedException.class,
            e -> {
              assertThat(e.httpStatus()).isEqualTo(400);
              assertThat(sse.reconnectLater(e)).isFalse();
            });
    assertThatThrownBy(() -> sse.open(get("ok", Map.of("Last-Event-ID", List.of("garbage")))))
        .isInstanceOfSatisfying(
            JoinRejectedException.class, e -> assertThat(e.httpStatus()).isEqualTo(400));
    assertThat(sse.openStreams()).isZero();
    assertThat(hub.metrics().connections()).isZero();
  }

  static byte[] eventWith(RecordingSink sink, String text) {
    synchronized (sink) {
      return sink.raw.stream()
          .filter(b -> new String(b, StandardCharsets.UTF_8).contains(text))
          .findFirst()
          .orElseThrow();
    }
  }

  @Test
  void aBroadcastIsEncodedOnceForEverySubscriber() throws Exception {
    RecordingSink s1 = new RecordingSink();
    RecordingSink s2 = new RecordingSink();
    sse.open(get("s7", Map.of())).start(s1);
    sse.open(get("s7", Map.of())).start(s2);
    publish("s7", "\"same\"");
    await("both", () -> s1.messages().size() == 1 && s2.messages().size() == 1);
    assertThat(eventWith(s1, "\"same\"")).isSameAs(eventWith(s2, "\"same\""));
  }
}
