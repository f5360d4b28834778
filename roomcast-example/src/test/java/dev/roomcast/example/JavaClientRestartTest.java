package dev.roomcast.example;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roomcast.BackoffPolicy;
import dev.roomcast.Hub;
import dev.roomcast.Published;
import dev.roomcast.client.ReceivedMessage;
import dev.roomcast.client.Reconnecting;
import dev.roomcast.client.RoomcastClient;
import dev.roomcast.client.RoomcastClientListener;
import dev.roomcast.client.Welcome;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Java client across a restart of the example server (in-process, same port, Redis keeping
 * history via {@code REDIS_URL}): while the server is down another node keeps publishing into Redis
 * and a client queues messages; after the restart both clients resume and end up with every message
 * once, in offset order.
 */
class JavaClientRestartTest {
  static final Duration WAIT = Duration.ofSeconds(20);
  static final String ROOM = "restart";

  static RestartableServer servers;

  @BeforeAll
  static void start() throws IOException {
    servers = RestartableServer.start(Map.of());
  }

  @AfterAll
  static void stop() {
    if (servers != null) {
      servers.close();
    }
  }

  /** Records what one client saw. */
  static final class Seen implements RoomcastClientListener {
    final List<ReceivedMessage> messages = new CopyOnWriteArrayList<>();
    final List<Welcome> opens = new CopyOnWriteArrayList<>();
    final List<Reconnecting> reconnects = new CopyOnWriteArrayList<>();

    @Override
    public void onOpen(Welcome welcome) {
      opens.add(welcome);
    }

    @Override
    public void onMessage(ReceivedMessage message) {
      messages.add(message);
    }

    @Override
    public void onReconnecting(Reconnecting reconnecting) {
      reconnects.add(reconnecting);
    }

    List<String> texts() {
      return messages.stream().map(ReceivedMessage::contentText).toList();
    }

    List<Long> offsets() {
      return messages.stream().map(ReceivedMessage::offset).toList();
    }
  }

  @Test
  void clientsResumeAcrossARestartWithNothingLostOrDuplicated() throws Exception {
    int port = servers.port();
    Hub otherNode = servers.otherNode;
    BackoffPolicy fast =
        BackoffPolicy.builder()
            .initialDelay(Duration.ofMillis(50))
            .maxDelay(Duration.ofMillis(400))
            .build();
    URI base = URI.create("ws://127.0.0.1:" + port);
    Seen rs = new Seen();
    Seen ss = new Seen();
    try (RoomcastClient receiver =
            RoomcastClient.builder(base, ROOM)
                .listener(rs)
                .backoff(fast)
                // stop() closes with 1001, so reconnects take the backoff path, where the connect
                // timeout applies: a connection Grizzly accepts while it stops is never served,
                // so give up on one soon, before the other node's publishes outrun Redis' history
                // (1000 per room)
                .connectTimeout(Duration.ofSeconds(2))
                .connect();
        RoomcastClient sender =
            RoomcastClient.builder(base, ROOM)
                .listener(ss)
                .backoff(fast)
                // stop() closes with 1001, so reconnects take the backoff path, where the connect
                // timeout applies: a connection Grizzly accepts while it stops is never served,
                // so give up on one soon, before the other node's publishes outrun Redis' history
                // (1000 per room)
                .connectTimeout(Duration.ofSeconds(2))
                .connect()) {
      TestServer.await("both open", WAIT, () -> rs.opens.size() == 1 && ss.opens.size() == 1);

      // another node publishes all along, before, during and after the restart
      List<String> acknowledged = new CopyOnWriteArrayList<>();
      AtomicInteger refused = new AtomicInteger();
      AtomicBoolean stopPublishing = new AtomicBoolean();
      Thread publisher =
          new Thread(
              () -> {
                for (int i = 1; !stopPublishing.get(); i++) {
                  String text = "node-" + i;
                  try {
                    Published p =
                        otherNode
                            .publish(ROOM, "\"" + text + "\"")
                            .toCompletableFuture()
                            .get(WAIT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
                    if (p.offset() > 0) {
                      acknowledged.add(text);
                    }
                    Thread.sleep(10); // pacing, not waiting for a condition
                  } catch (InterruptedException e) {
                    return;
                  } catch (Exception e) {
                    refused.incrementAndGet();
                  }
                }
              },
              "other-node-publisher");
      publisher.start();
      try {
        for (int i = 1; i <= 5; i++) {
          assertThat(sender.sendText("before-" + i)).isTrue();
        }
        TestServer.await(
            "the sender's first messages", WAIT, () -> rs.texts().contains("before-5"));

        servers.server().stop();
        TestServer.await(
            "both clients notice",
            WAIT,
            () -> !rs.reconnects.isEmpty() && !ss.reconnects.isEmpty());
        int publishedWhileUp = acknowledged.size();
        for (int i = 1; i <= 5; i++) {
          assertThat(sender.sendText("offline-" + i)).as("queued while offline").isTrue();
        }
        assertThat(sender.queuedMessages()).isEqualTo(5);
        TestServer.await(
            "the other node publishes while the server is down",
            WAIT,
            () -> acknowledged.size() >= publishedWhileUp + 20);

        servers.startAgain();
        TestServer.await(
            "both clients reconnected", WAIT, () -> rs.opens.size() >= 2 && ss.opens.size() >= 2);
        try {
          TestServer.await("the queued messages", WAIT, () -> rs.texts().contains("offline-5"));
        } catch (AssertionError e) {
          throw new AssertionError(
              "receiver "
                  + receiver
                  + " saw "
                  + rs.texts()
                  + rs.reconnects
                  + "\nsender "
                  + sender
                  + " queued "
                  + sender.queuedMessages()
                  + " saw "
                  + ss.texts()
                  + ss.reconnects,
              e);
        }
        int afterRestart = acknowledged.size();
        TestServer.await(
            "publishing goes on after the restart",
            WAIT,
            () -> acknowledged.size() >= afterRestart + 20);
      } finally {
        stopPublishing.set(true);
        publisher.join();
      }
      otherNode.publish(ROOM, "\"last\"").toCompletableFuture().get();
      TestServer.await(
          "the last message",
          WAIT,
          () -> rs.texts().contains("last") && ss.texts().contains("last"));

      assertThat(refused).as("Redis stayed up: no publish was refused").hasValue(0);
      for (Seen seen : List.of(rs, ss)) {
        List<Long> offsets = seen.offsets();
        assertThat(offsets)
            .as("every offset once, in order")
            .containsExactlyElementsOf(LongStream.rangeClosed(1, offsets.size()).boxed().toList());
        List<String> texts = seen.texts();
        assertThat(texts).containsAll(acknowledged);
        List<String> expected = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
          expected.add("before-" + i);
          expected.add("offline-" + i);
        }
        assertThat(texts).containsAll(expected).doesNotHaveDuplicates();
        assertThat(texts.stream().filter(t -> t.startsWith("offline-")))
            .as("the offline queue is flushed in order")
            .containsExactly("offline-1", "offline-2", "offline-3", "offline-4", "offline-5");
        assertThat(seen.opens).hasSizeGreaterThanOrEqualTo(2);
        for (Welcome w : seen.opens.subList(1, seen.opens.size())) {
          assertThat(w.isResume()).isTrue();
          assertThat(w.recovered()).as("every resume complete").contains(true);
        }
        assertThat(seen.reconnects).extracting(Reconnecting::code).contains(1001);
      }
      assertThat(rs.texts()).isEqualTo(ss.texts());
    }
  }
}
