package dev.roomcast.jakarta.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roomcast.BackoffPolicy;
import dev.roomcast.Hub;
import dev.roomcast.jakarta.RoomcastEndpointConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.stream.LongStream;
import org.glassfish.tyrus.client.ClientManager;
import org.glassfish.tyrus.client.ClientProperties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The client against the real endpoint and hub: two clients chat, and while the hub keeps cutting
 * every connection (max connection age, 4001) and publishing, each client reconnects, resumes and
 * ends up with every message once, in offset order.
 */
class RoomcastClientHubTest {
  static HubServer server;
  static ClientManager container;
  // its own executors, so the default threads' leak check in RoomcastClientTest sees only its own
  static ScheduledThreadPoolExecutor timers;
  static ExecutorService connects;

  @BeforeAll
  static void start() throws Exception {
    Hub hub =
        Hub.builder().maxConnectionAge(Duration.ofMillis(400), Duration.ofMillis(200)).build();
    server = HubServer.start(hub, RoomcastEndpointConfig.builder().build());
    container = ClientManager.createClient();
    container.getProperties().put(ClientProperties.SHARED_CONTAINER, true);
    timers = new ScheduledThreadPoolExecutor(1);
    connects = Executors.newFixedThreadPool(2);
  }

  @AfterAll
  static void stop() {
    server.close();
    timers.shutdownNow();
    connects.shutdownNow();
  }

  @Test
  void clientsThatAreCutOffAgainAndAgainMissNothing() throws Exception {
    Recorder ra = new Recorder();
    Recorder rb = new Recorder();
    BackoffPolicy fast =
        BackoffPolicy.builder()
            .initialDelay(Duration.ofMillis(20))
            .maxDelay(Duration.ofMillis(200))
            .build();
    List<RoomcastClient> clients = new ArrayList<>();
    try {
      RoomcastClient a =
          RoomcastClient.builder(server.base(), "churn")
              .listener(ra)
              .container(container)
              .scheduler(timers)
              .connectExecutor(connects)
              .backoff(fast)
              .connect();
      clients.add(a);
      RoomcastClient b =
          RoomcastClient.builder(server.base(), "churn")
              .listener(rb)
              .container(container)
              .scheduler(timers)
              .connectExecutor(connects)
              .backoff(fast)
              .connect();
      clients.add(b);
      ra.await("a open", () -> !ra.opens.isEmpty());
      rb.await("b open", () -> !rb.opens.isEmpty());

      // 150 messages over ~1.5 s: from the application and from both clients; every connection
      // lives 200-400 ms, so each client reconnects several times meanwhile
      int n = 150;
      for (int i = 1; i <= n; i++) {
        if (i % 3 == 0) {
          assertThat(a.sendText("a" + i)).isTrue();
        } else if (i % 3 == 1) {
          assertThat(b.sendText("b" + i)).isTrue();
        } else {
          server.hub().publish("churn", "\"s" + i + "\"");
        }
        Thread.sleep(10); // pacing the publisher, not waiting for a condition
      }
      server.hub().publish("churn", "\"end\"").toCompletableFuture().get();
      for (Recorder r : List.of(ra, rb)) {
        r.await("the last message", Duration.ofSeconds(20), () -> r.texts().contains("end"));
        // once each, in offset order, no gap: nothing the room published is missing
        List<Long> offsets = r.offsets();
        assertThat(offsets)
            .containsExactlyElementsOf(LongStream.rangeClosed(1, offsets.size()).boxed().toList());
        assertThat(r.get(() -> r.opens.size())).as("reconnected several times").isGreaterThan(2);
        assertThat(r.overlapped()).isFalse();
      }
      assertThat(ra.texts()).isEqualTo(rb.texts());
      List<String> texts = ra.texts();
      assertThat(texts).doesNotHaveDuplicates();
      // every application publish is there; a client's frame written just as the server closed
      // its connection can be lost (no publish acknowledgement in protocol v1), so only count them
      for (int i = 2; i <= n; i += 3) {
        assertThat(texts).contains("s" + i);
      }
      long fromClients = texts.stream().filter(t -> t.matches("[ab]\\d+")).count();
      assertThat(fromClients).as("client messages that arrived").isGreaterThan(n / 2);
      assertThat(ra.reconnects).extracting(Reconnecting::code).contains(4001);
    } finally {
      clients.forEach(RoomcastClient::close);
    }
  }
}
