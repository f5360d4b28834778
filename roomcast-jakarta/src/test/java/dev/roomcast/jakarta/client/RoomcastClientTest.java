package dev.roomcast.jakarta.client;

import static dev.roomcast.jakarta.client.ScriptedServer.message;
import static dev.roomcast.jakarta.client.ScriptedServer.welcome;
import static org.assertj.core.api.Assertions.assertThat;

import dev.roomcast.BackoffPolicy;
import dev.roomcast.StreamPosition;
import dev.roomcast.jakarta.client.ScriptedServer.Conn;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicInteger;
import org.glassfish.tyrus.client.ClientManager;
import org.glassfish.tyrus.client.ClientProperties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The client's protocol behaviour against a scripted server on a real socket: terminal and
 * immediate close codes, backoff, resume, duplicates, gaps, new epochs, the offline queue's bound
 * and order, and a clean close.
 */
class RoomcastClientTest {
  static ScriptedServer server;
  static ClientManager container;
  static final AtomicInteger ROOMS = new AtomicInteger();

  @BeforeAll
  static void start() throws Exception {
    server = ScriptedServer.start();
    container = ClientManager.createClient();
    container.getProperties().put(ClientProperties.SHARED_CONTAINER, true);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static String room() {
    return "room-" + ROOMS.incrementAndGet();
  }

  /** Backoff of exactly {@code ms} per attempt (no jitter), so tests know each delay. */
  static BackoffPolicy fixed(long ms) {
    return BackoffPolicy.builder()
        .initialDelay(Duration.ofMillis(ms))
        .maxDelay(Duration.ofMillis(ms))
        .jitter(BackoffPolicy.Jitter.NONE)
        .build();
  }

  RoomcastClient.Builder client(String room, Recorder rec) {
    return RoomcastClient.builder(server.base(), room).listener(rec).container(container);
  }

  @ParameterizedTest(name = "close {0}")
  @ValueSource(ints = {1000, 1003, 1008, 4500, 4999})
  void terminalCodesEndTheClientWithoutAnotherAttempt(int code) throws Exception {
    String room = room();
    server.script(
        room,
        c -> {
          c.send(welcome("u1", "e1", 0, null));
          c.close(code, "test says stop");
        });
    Recorder rec = new Recorder();
    ManualExecutor connects = new ManualExecutor();
    RoomcastClient client = client(room, rec).backoff(fixed(1)).connectExecutor(connects).connect();
    connects.runNext(ScriptedServer.WAIT);
    rec.await("onClose", () -> !rec.closes.isEmpty());

    assertThat(rec.closes).containsExactly(new Recorder.Closed(code, "test says stop"));
    assertThat(rec.reconnects).isEmpty();
    assertThat(client.state()).isEqualTo(RoomcastClient.State.CLOSED);
    assertThat(connects.submitted).as("connection attempts").hasValue(1);
    assertThat(client.sendText("after the end")).isFalse();
    client.close(); // no second onClose
    assertThat(rec.get(() -> rec.closes)).hasSize(1);
    assertThat(rec.overlapped()).isFalse();
  }

  @ParameterizedTest(name = "close {0}")
  @ValueSource(ints = {1012, 4001})
  void restartAndMaxAgeReconnectAtOnceAndResume(int code) throws Exception {
    String room = room();
    AtomicInteger n = new AtomicInteger();
    server.script(
        room,
        c -> {
          if (n.incrementAndGet() == 1) {
            c.send(welcome("u1", "e1", 0, null));
            c.send(message("e1", 1, "\"one\""));
            c.send(message("e1", 2, "\"two\""));
            c.close(code, "go elsewhere");
          } else {
            c.send(welcome("u2", "e1", 2, true));
            c.send(message("e1", 3, "\"three\""));
          }
        });
    Recorder rec = new Recorder();
    // an hour of backoff: only an immediate reconnect can pass this test
    try (RoomcastClient client = client(room, rec).backoff(fixed(3_600_000)).connect()) {
      Conn first = server.nextConnection(room);
      assertThat(first.param("since")).isNull();
      Conn second = server.nextConnection(room);
      assertThat(second.param("since")).isEqualTo("2");
      assertThat(second.param("epoch")).isEqualTo("e1");
      rec.await("three messages", () -> rec.messages.size() == 3);
      assertThat(rec.texts()).containsExactly("one", "two", "three");
      assertThat(rec.reconnects)
          .containsExactly(new Reconnecting(0, Duration.ZERO, code, "go elsewhere"));
      assertThat(rec.opens).extracting(Welcome::clientId).containsExactly("u1", "u2");
      assertThat(rec.opens.get(1).recovered()).contains(true);
      assertThat(rec.opens.get(1).resumedFrom()).contains(new StreamPosition("e1", 2));
      assertThat(client.position()).contains(new StreamPosition("e1", 3));
      assertThat(client.clientId()).contains("u2");
    }
  }

  @ParameterizedTest(name = "close {0}")
  @ValueSource(ints = {1001, 1011, 1013, 4000, 4002})
  void otherCodesBackOffAndAWelcomeResetsTheAttemptCount(int code) throws Exception {
    String room = room();
    AtomicInteger n = new AtomicInteger();
    server.script(
        room,
        c -> {
          switch (n.incrementAndGet()) {
            case 1, 3 -> {
              c.send(welcome("u" + n.get(), "e1", 0, null));
              c.close(code, "bye");
            }
            case 2 -> c.close(code, "not now"); // refused before the welcome: a failed attempt
            default -> c.send(welcome("u4", "e1", 0, true));
          }
        });
    Recorder rec = new Recorder();
    // full jitter with r = 0.5: 20 ms, 40 ms, ... — the policy's own numbers, not the client's
    BackoffPolicy policy =
        BackoffPolicy.builder().initialDelay(Duration.ofMillis(40)).random(() -> 0.5).build();
    try (RoomcastClient client = client(room, rec).backoff(policy).connect()) {
      rec.await("the fourth connection", () -> rec.opens.size() == 3);
      assertThat(rec.reconnects)
          .containsExactly(
              new Reconnecting(1, Duration.ofMillis(20), code, "bye"),
              new Reconnecting(2, Duration.ofMillis(40), code, "not now"),
              new Reconnecting(1, Duration.ofMillis(20), code, "bye"));
      assertThat(client.state()).isEqualTo(RoomcastClient.State.OPEN);
      assertThat(client.connections()).isEqualTo(3);
    }
  }

  @Test
  void duplicatesAreDroppedAndAGapMakesTheClientResume() throws Exception {
    String room = room();
    AtomicInteger n = new AtomicInteger();
    server.script(
        room,
        c -> {
          if (n.incrementAndGet() == 1) {
            c.send(welcome("u1", "e1", 5, null));
            for (long o : new long[] {6, 7, 7, 6, 8, 10, 11}) {
              c.send(message("e1", o, Long.toString(o)));
            }
          } else {
            c.send(welcome("u2", "e1", 8, true));
            c.send(message("e1", 9, "9"));
            c.send(message("e1", 10, "10"));
            c.send(message("e1", 8, "8")); // an echo from before the seam
            c.send(message("e1", 11, "11"));
          }
        });
    Recorder rec = new Recorder();
    try (RoomcastClient client = client(room, rec).backoff(fixed(3_600_000)).connect()) {
      Conn first = server.nextConnection(room);
      assertThat(first.closeCode()).isEqualTo(RoomcastClient.GAP_CLOSE_CODE);
      Conn second = server.nextConnection(room);
      assertThat(second.param("since")).isEqualTo("8");
      rec.await("offsets up to 11", () -> rec.messages.size() == 6);
      assertThat(rec.offsets()).containsExactly(6L, 7L, 8L, 9L, 10L, 11L);
      assertThat(client.duplicatesDropped()).isEqualTo(3);
      assertThat(client.gapsDetected()).isEqualTo(1);
      assertThat(rec.reconnects).extracting(Reconnecting::attempt).containsExactly(0);
    }
  }

  @Test
  void anUnrecoverableResumeContinuesFromTheWelcomeAndANewEpochStartsOver() throws Exception {
    String room = room();
    AtomicInteger n = new AtomicInteger();
    server.script(
        room,
        c -> {
          if (n.incrementAndGet() == 1) {
            c.send(welcome("u1", "e1", 3, null));
            c.send(message("e1", 4, "4"));
            c.close(1012, "restart");
          } else {
            // history was lost: new epoch, live from offset 10
            c.send(welcome("u2", "e2", 10, false));
            c.send(message("e2", 11, "11"));
            c.send(message("e3", 1, "1")); // and another epoch change mid-stream
          }
        });
    Recorder rec = new Recorder();
    try (RoomcastClient client = client(room, rec).backoff(fixed(3_600_000)).connect()) {
      Conn second = server.nextConnection(room);
      second = server.nextConnection(room);
      assertThat(second.param("since")).isEqualTo("4");
      assertThat(second.param("epoch")).isEqualTo("e1");
      rec.await("three messages", () -> rec.messages.size() == 3);
      assertThat(rec.offsets()).containsExactly(4L, 11L, 1L);
      assertThat(rec.opens.get(1).recovered()).contains(false);
      assertThat(rec.opens.get(1).position()).contains(new StreamPosition("e2", 10));
      assertThat(client.position()).contains(new StreamPosition("e3", 1));
      assertThat(client.gapsDetected()).isZero();
    }
  }

  @Test
  void theOfflineQueueIsBoundedAndFlushedInOrderAfterTheWelcome() throws Exception {
    String room = room();
    AtomicInteger n = new AtomicInteger();
    server.script(room, c -> c.send(welcome("u" + n.incrementAndGet(), "e1", 0, null)));
    Recorder rec = new Recorder();
    ManualExecutor connects = new ManualExecutor();
    try (RoomcastClient client =
        client(room, rec)
            .backoff(fixed(1))
            .connectExecutor(connects)
            .offlineQueueCapacity(3)
            .connect()) {
      // not connected yet: the attempt waits for runNext
      assertThat(client.state()).isEqualTo(RoomcastClient.State.CONNECTING);
      assertThat(client.sendText("a1")).isTrue();
      assertThat(client.sendJson("{\"n\":2}")).isTrue();
      assertThat(client.sendText("a3")).isTrue();
      assertThat(client.sendText("refused")).as("the fourth does not fit").isFalse();
      assertThat(client.queuedMessages()).isEqualTo(3);
      connects.runNext(ScriptedServer.WAIT);
      Conn first = server.nextConnection(room);
      assertThat(List.of(first.next(), first.next(), first.next()))
          .containsExactly(
              "{\"content\":\"a1\"}", "{\"content\":{\"n\":2}}", "{\"content\":\"a3\"}");
      rec.await("open", () -> client.queuedMessages() == 0);

      // online: a send is written at once; then the connection drops
      first.close(1011, "gone");
      rec.await("reconnecting", () -> !rec.reconnects.isEmpty());
      assertThat(client.sendText("b1")).isTrue();
      assertThat(client.sendText("b2")).isTrue();
      assertThat(client.sendText("b3")).isTrue();
      assertThat(client.sendText("b4")).isFalse();
      connects.runNext(ScriptedServer.WAIT);
      Conn second = server.nextConnection(room);
      assertThat(List.of(second.next(), second.next(), second.next()))
          .containsExactly("{\"content\":\"b1\"}", "{\"content\":\"b2\"}", "{\"content\":\"b3\"}");
      // the third connection gets what is sent while the second is gone, and nothing twice
      second.close(1011, "gone again");
      rec.await("reconnecting again", () -> rec.reconnects.size() == 2);
      assertThat(client.sendText("c1")).isTrue();
      connects.runNext(ScriptedServer.WAIT);
      Conn third = server.nextConnection(room);
      assertThat(third.next()).isEqualTo("{\"content\":\"c1\"}");
      assertThat(second.received).isEmpty();
      assertThat(third.received).isEmpty();
    }
    assertThat(rec.overlapped()).isFalse();
  }

  @Test
  void closeWhileWaitingToReconnectCancelsTheTimerAndConnectsNoMore() throws Exception {
    String room = room();
    server.script(room, c -> c.close(1011, "always failing"));
    Recorder rec = new Recorder();
    ScheduledThreadPoolExecutor timers = new ScheduledThreadPoolExecutor(1);
    timers.setRemoveOnCancelPolicy(true);
    try {
      RoomcastClient client = client(room, rec).backoff(fixed(600_000)).scheduler(timers).connect();
      rec.await("reconnecting", () -> !rec.reconnects.isEmpty());
      assertThat(timers.getQueue()).as("the pending reconnect timer").hasSize(1);
      assertThat(client.state()).isEqualTo(RoomcastClient.State.RECONNECTING);

      client.close();
      assertThat(timers.getQueue()).as("timer cancelled and removed").isEmpty();
      assertThat(client.state()).isEqualTo(RoomcastClient.State.CLOSED);
      // listener events are delivered on the client's event thread, after close() returns
      rec.await("the close event", () -> !rec.closes.isEmpty());
      assertThat(rec.get(() -> rec.closes))
          .containsExactly(new Recorder.Closed(1000, "closed by client"));
      assertThat(client.sendText("x")).isFalse();
      assertThat(server.nextConnection(room)).isNotNull();
      assertThat(server.pendingConnections(room)).isZero();
    } finally {
      timers.shutdownNow();
    }
  }

  @Test
  void aConnectionWithoutAWelcomeIsGivenUpAfterTheConnectTimeout() throws Exception {
    String room = room();
    AtomicInteger n = new AtomicInteger();
    // the first connection is accepted and then never served (a server going down mid-upgrade)
    server.script(
        room,
        c -> {
          if (n.incrementAndGet() > 1) {
            c.send(welcome("u2", "e1", 0, null));
          }
        });
    Recorder rec = new Recorder();
    try (RoomcastClient client =
        client(room, rec).backoff(fixed(1)).connectTimeout(Duration.ofMillis(300)).connect()) {
      rec.await("open", () -> rec.opens.size() == 1);
      assertThat(rec.reconnects).hasSize(1);
      assertThat(rec.reconnects.get(0).code()).isEqualTo(1006);
      assertThat(rec.reconnects.get(0).reason()).isEqualTo("no welcome within 300 ms");
      assertThat(rec.opens.get(0).clientId()).isEqualTo("u2");
      assertThat(server.nextConnection(room).closeCode()).isEqualTo(1000);
    }
  }

  @Test
  void closeOnAnOpenConnectionSendsNormalClosure() throws Exception {
    String room = room();
    server.script(room, c -> c.send(welcome("u1", "e1", 0, null)));
    Recorder rec = new Recorder();
    RoomcastClient client = client(room, rec).connect();
    rec.await("open", () -> rec.opens.size() == 1);
    Conn conn = server.nextConnection(room);
    client.close();
    assertThat(conn.closeCode()).isEqualTo(1000);
    rec.await("the close event", () -> !rec.closes.isEmpty());
    assertThat(rec.get(() -> rec.closes)).hasSize(1);
    assertThat(rec.get(() -> rec.reconnects)).isEmpty();
  }

  @Test
  void aHandshakeRefusedWithAClientErrorIsTerminal() throws Exception {
    Recorder rec = new Recorder();
    ManualExecutor connects = new ManualExecutor();
    // the scripted server only serves /{room}: /nothing/here/{room} is a 404
    RoomcastClient client =
        RoomcastClient.builder(URI.create(server.base() + "/nothing/here"), "r")
            .listener(rec)
            .container(container)
            .backoff(fixed(1))
            .connectExecutor(connects)
            .connect();
    connects.runNext(ScriptedServer.WAIT);
    rec.await("onClose", () -> !rec.closes.isEmpty());
    assertThat(rec.closes.get(0).code()).isEqualTo(1008);
    assertThat(rec.closes.get(0).reason()).startsWith("handshake refused with HTTP 404");
    assertThat(connects.submitted).hasValue(1);
    assertThat(client.state()).isEqualTo(RoomcastClient.State.CLOSED);
  }

  @Test
  void aServerThatIsNotThereIsRetriedWithBackoffUntilThePolicyGivesUp() throws Exception {
    Recorder rec = new Recorder();
    int port;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      port = s.getLocalPort(); // closed again: connections are refused
    }
    RoomcastClient client =
        RoomcastClient.builder(URI.create("ws://127.0.0.1:" + port), "r")
            .listener(rec)
            .container(container)
            .backoff(fixed(5).toBuilder().maxAttempts(3).build())
            .connect();
    rec.await("onClose", () -> !rec.closes.isEmpty());
    assertThat(rec.reconnects).extracting(Reconnecting::attempt).containsExactly(1, 2, 3);
    assertThat(rec.reconnects).extracting(Reconnecting::code).containsOnly(1006);
    assertThat(rec.closes.get(0).reason()).startsWith("gave up after 3 reconnect attempts");
    assertThat(rec.errors).hasSize(4);
    assertThat(client.state()).isEqualTo(RoomcastClient.State.CLOSED);
  }

  @Test
  void theDefaultsShareOneContainerAndLeaveNoThreadBehind() throws Exception {
    String room = room();
    server.script(room, c -> c.send(welcome("u1", "e1", 0, null)));
    Recorder r1 = new Recorder();
    Recorder r2 = new Recorder();
    // no container, scheduler or executor given: the JVM-wide defaults
    RoomcastClient c1 = RoomcastClient.builder(server.base(), room).listener(r1).connect();
    RoomcastClient c2 = RoomcastClient.builder(server.base(), room).listener(r2).connect();
    r1.await("c1 open", () -> r1.opens.size() == 1);
    r2.await("c2 open", () -> r2.opens.size() == 1);
    assertThat(ClientResources.container()).isInstanceOf(ClientManager.class);
    assertThat(((ClientManager) ClientResources.container()).getProperties())
        .as("Tyrus asked to share one transport")
        .containsEntry(ClientProperties.SHARED_CONTAINER, true);
    assertThat(clientThreads()).isNotEmpty();
    c1.close();
    c2.close();
    // the shared timer and connect threads end after their idle time (5 s)
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (!clientThreads().isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(100); // polling for threads to end: there is nothing to wait on
    }
    assertThat(clientThreads()).as("roomcast client threads left").isEmpty();
  }

  private static List<String> clientThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(Thread::isAlive)
        .map(Thread::getName)
        .filter(n -> n.startsWith("roomcast-client-"))
        .toList();
  }

  @Test
  void theRoomUriKeepsTheBaseQueryAndAddsTheResumePosition() {
    RoomcastClient c =
        RoomcastClient.builder(URI.create("wss://example.com/ctx/?token=abc"), "a:b@c")
            .connectExecutor(r -> {})
            .connect();
    assertThat(c.uriFor(null)).hasToString("wss://example.com/ctx/a:b@c?token=abc");
    assertThat(c.uriFor(new StreamPosition("ep och", 7)))
        .hasToString("wss://example.com/ctx/a:b@c?token=abc&since=7&epoch=ep+och");
    c.close();
  }
}
