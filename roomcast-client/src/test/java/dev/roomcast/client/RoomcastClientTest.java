package dev.roomcast.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.roomcast.AuthenticationException;
import dev.roomcast.BackoffPolicy;
import dev.roomcast.Hub;
import dev.roomcast.Identity;
import dev.roomcast.Published;
import dev.roomcast.StreamPosition;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The client against the real endpoint and hub (Tyrus on Grizzly, one server for the class):
 * sending and receiving, a resume that replays history and marks it, the offline queue, a refused
 * handshake, an unreachable server, and a clean close.
 */
class RoomcastClientTest {
  static final String TOKEN = "Bearer let-me-in";
  static final AtomicInteger ROOMS = new AtomicInteger();
  static HubServer server;

  @BeforeAll
  static void start() throws Exception {
    Hub hub =
        Hub.builder()
            .authenticator(
                request -> {
                  if (!TOKEN.equals(request.header("Authorization"))) {
                    throw new AuthenticationException("no token");
                  }
                  return Identity.anonymous();
                })
            .build();
    server = HubServer.start(hub);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static String room() {
    return "room-" + ROOMS.incrementAndGet();
  }

  static RoomcastClient.Builder client(String room, Recorder rec) {
    return RoomcastClient.builder(server.base(), room).listener(rec).header("Authorization", TOKEN);
  }

  @Test
  void twoClientsChatAndEveryMessageArrivesOnceInOrderAndLive() throws Exception {
    String room = room();
    Recorder ra = new Recorder();
    Recorder rb = new Recorder();
    // a is in the room before b connects, so it is a that hears b's join (connecting both at
    // once let b join first now and then, and then a heard nothing)
    try (RoomcastClient a = client(room, ra).connect();
        RoomcastClient b = openAfter(ra, () -> client(room, rb).connect())) {
      rb.await("b open", () -> rb.opens.size() == 1);
      assertThat(a.sendText("hello")).isTrue();
      assertThat(b.sendJson("{\"n\":1}")).isTrue();
      server.hub().publish(room, "[1,2]").toCompletableFuture().get();
      for (Recorder r : List.of(ra, rb)) {
        r.await("three messages", () -> r.messages.size() == 3);
        assertThat(r.offsets()).containsExactly(1L, 2L, 3L);
        assertThat(r.get(() -> r.messages)).noneMatch(ReceivedMessage::replayed);
        assertThat(r.texts()).containsExactlyInAnyOrder("hello", "{\"n\":1}", "[1,2]");
      }
      assertThat(a.clientId()).isPresent();
      assertThat(ra.get(() -> ra.messages.stream().filter(m -> m.contentText().equals("hello"))))
          .singleElement()
          .extracting(ReceivedMessage::clientId)
          .isEqualTo(a.clientId().get());
      assertThat(a.position())
          .contains(new StreamPosition(ra.opens.get(0).position().get().epoch(), 3));
      assertThat(ra.get(() -> ra.notices)).as("b's join notice").isNotEmpty();
    }
    assertThat(ra.closes).containsExactly(new Recorder.Closed(1000, "closed by client"));
    assertThat(ra.overlapped()).isFalse();
  }

  @Test
  void anErrorRefusingAMessageNamesTheIdItWasSentWith() throws Exception {
    String room = room();
    Recorder rec = new Recorder();
    try (RoomcastClient c = client(room, rec).connect()) {
      rec.await("open", () -> rec.opens.size() == 1);
      String tooLarge = "x".repeat(40_000); // over the default 32 KB of content
      assertThat(c.sendText(tooLarge, "m1")).isTrue();
      assertThat(c.sendText(tooLarge)).isTrue();
      assertThat(c.sendJson("{\"n\":3}", "m3")).isTrue();
      rec.await("two refusals and the message", () -> rec.serverErrors.size() == 2);
      rec.await("the message", () -> rec.messages.size() == 1);
      assertThat(rec.get(() -> rec.serverErrors)).allMatch(m -> m.startsWith("content too large"));
      assertThat(rec.get(() -> rec.serverErrorIds)).containsExactly("m1", "-");
      assertThat(rec.texts()).containsExactly("{\"n\":3}");
      assertThatThrownBy(() -> c.sendText("hi", "i".repeat(65)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("64");
    }
  }

  @Test
  void aResumeReplaysWhatWasMissedMarkedAsReplayedThenLiveTraffic() throws Exception {
    String room = room();
    Recorder first = new Recorder();
    StreamPosition saved;
    try (RoomcastClient c = client(room, first).connect()) {
      first.await("open", () -> first.opens.size() == 1);
      saved = c.position().orElseThrow();
    }
    Published last = null;
    for (int i = 1; i <= 3; i++) {
      last = server.hub().publish(room, "\"missed " + i + "\"").toCompletableFuture().get();
    }
    assertThat(last.offset()).isEqualTo(saved.offset() + 3);

    Recorder rec = new Recorder();
    try (RoomcastClient c = client(room, rec).resumeFrom(saved).connect()) {
      rec.await("the replay", () -> rec.messages.size() == 3);
      Welcome w = rec.get(() -> rec.opens.get(0));
      assertThat(w.resumedFrom()).contains(saved);
      assertThat(w.recovered()).contains(true);
      server.hub().publish(room, "\"live\"").toCompletableFuture().get();
      rec.await("the live one", () -> rec.messages.size() == 4);
      assertThat(rec.texts()).containsExactly("missed 1", "missed 2", "missed 3", "live");
      assertThat(rec.get(() -> rec.messages.stream().map(ReceivedMessage::replayed).toList()))
          .containsExactly(true, true, true, false);
      assertThat(c.duplicatesDropped()).isZero();
    }
  }

  @Test
  void messagesSentWhileConnectingAreQueuedBoundedAndSentInOrderAfterTheWelcome() throws Exception {
    String room = room();
    Recorder rec = new Recorder();
    try (RoomcastClient c = client(room, rec).offlineQueueCapacity(3).connect()) {
      // nothing can have been written before the welcome, so the first three wait and the
      // fourth is refused, whether or not the handshake is done yet
      boolean welcomedAlready = rec.get(() -> !rec.opens.isEmpty());
      if (!welcomedAlready) {
        assertThat(c.sendText("1")).isTrue();
        assertThat(c.sendText("2")).isTrue();
        assertThat(c.sendText("3")).isTrue();
        assertThat(c.sendText("4")).isFalse();
      } else {
        c.sendText("1");
        c.sendText("2");
        c.sendText("3");
      }
      rec.await("the queued three", () -> rec.messages.size() == 3);
      assertThat(rec.texts()).containsExactly("1", "2", "3");
      assertThat(c.queuedMessages()).isZero();
    }
    assertThatThrownBy(() -> client(room(), rec).connect().sendJson("{oops"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aHandshakeRefusedWith401EndsTheClientForGood() throws Exception {
    Recorder rec = new Recorder();
    RoomcastClient c = RoomcastClient.builder(server.base(), room()).listener(rec).connect();
    rec.await("closed", () -> !rec.closes.isEmpty());
    assertThat(rec.closes)
        .containsExactly(new Recorder.Closed(1008, "handshake refused with HTTP 401"));
    assertThat(rec.reconnects).isEmpty();
    assertThat(c.state()).isEqualTo(RoomcastClient.State.CLOSED);
    assertThat(c.sendText("late")).isFalse();
    c.close();
    assertThat(rec.closes).as("onClose once").hasSize(1);
  }

  @Test
  void anUnreachableServerIsRetriedWithBackoffUntilThePolicyGivesUp() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort(); // closed again: connections to it are refused
    }
    Recorder rec = new Recorder();
    RoomcastClient.builder(URI.create("ws://127.0.0.1:" + port), room())
        .listener(rec)
        .backoff(
            BackoffPolicy.builder()
                .initialDelay(Duration.ofMillis(10))
                .jitter(BackoffPolicy.Jitter.NONE)
                .maxAttempts(2)
                .build())
        .connect();
    rec.await("gave up", () -> !rec.closes.isEmpty());
    assertThat(rec.reconnects).extracting(Reconnecting::attempt).containsExactly(1, 2);
    assertThat(rec.reconnects).extracting(Reconnecting::code).containsOnly(1006);
    assertThat(rec.closes)
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.code()).isEqualTo(1006);
              assertThat(c.reason()).startsWith("gave up after 2 reconnect attempts");
            });
    assertThat(rec.errors).hasSize(3);
  }

  /** Waits for {@code first}'s welcome, then connects the next client. */
  private static RoomcastClient openAfter(
      Recorder first, java.util.function.Supplier<RoomcastClient> next)
      throws InterruptedException {
    first.await("the first client open", () -> first.opens.size() == 1);
    return next.get();
  }
}
