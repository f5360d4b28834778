package dev.roomcast.containers;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.roomcast.CloseCodes;
import dev.roomcast.jakarta.testkit.WsClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Shutdown in a real Payara Micro: when the application is undeployed (here by a redeploy) and when
 * the server stops (SIGTERM), roomcast-cdi drains every client with 1012 ("reconnect now"), spread
 * over {@code roomcast.drain.time}, and readiness is DOWN meanwhile. One server for the class; the
 * stop is the last test.
 */
@Tag("payara")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PayaraLifecycleTest {
  static final Duration DRAIN = Duration.ofSeconds(2);
  static final int CLIENTS = 6;
  static PayaraMicroServer server;

  @BeforeAll
  static void start() throws Exception {
    server =
        PayaraMicroServer.builder("lifecycle")
            .exploded()
            .property("roomcast.drain.time", DRAIN.toSeconds() + "s")
            .start();
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  @Order(1)
  void anUndeployDrainsEveryClientWith1012AndTheNextDeploymentServes() throws Exception {
    List<WsClient> clients = connect("before-redeploy");
    AtomicBoolean notReadyWhileDraining = new AtomicBoolean();
    try {
      server.redeploy();
      // While the old deployment drains, Payara answers /health/ready 503 itself (the
      // application is stopping, so its checks do not run): a load balancer sends no one here.
      PayaraMicroServer.awaitCondition(
          "readiness not 200 while clients are being drained",
          Duration.ofMinutes(1),
          () -> {
            boolean someOpen = clients.stream().anyMatch(c -> !c.isClosed());
            if (someOpen && server.readiness().status() != 200) {
              notReadyWhileDraining.set(true);
            }
            return notReadyWhileDraining.get() || !someOpen;
          });
      for (WsClient c : clients) {
        WsClient.Close close = c.awaitClose();
        assertThat(close.code()).as("close of %s", c).isEqualTo(CloseCodes.SERVICE_RESTART);
      }
      assertThat(notReadyWhileDraining).as("readiness was down during the drain").isTrue();
      // the servlet context's end drained, before the server's WebSocket container closed anything
      server.awaitLogLine(
          "roomcast draining " + CLIENTS + " connections over PT2S: the web application stops",
          Duration.ofSeconds(10));
    } finally {
      clients.forEach(WsClient::close);
    }

    // Readiness alone does not prove the new deployment: with no application deployed, Payara's
    // own health endpoint answers 200 too. Wait for the new deployment's endpoint; Payara Micro
    // has been seen to drop a reload that raced a request (a ConcurrentModificationException in
    // its request processing, the application never deployed again): touch it once more then.
    String endpointUp = "roomcast WebSocket endpoint at /ws/{room}";
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (server.countLogLines(endpointUp) < 2 && System.nanoTime() < deadline) {
      Thread.sleep(100); // polling a log file, no event to wait for
    }
    if (server.countLogLines(endpointUp) < 2) {
      server.redeploy();
    }
    PayaraMicroServer.awaitCondition(
        "the redeployed application's endpoint up and ready",
        PayaraMicroServer.STARTUP_TIMEOUT,
        () -> server.countLogLines(endpointUp) >= 2 && server.readiness().status() == 200);
    try (WsClient again = WsClient.connect(server.ws("/before-redeploy"))) {
      JsonNode welcome = again.next("system");
      assertThat(welcome.path("room").asText()).isEqualTo("before-redeploy");
      again.send("{\"content\":\"after the redeploy\"}");
      assertThat(again.next("message").path("content").asText()).isEqualTo("after the redeploy");
    }
  }

  @Test
  @Order(2)
  void sigtermDrainsEveryClientWith1012BeforeTheServerExits() throws Exception {
    List<WsClient> clients = connect("before-stop");
    try {
      long t0 = System.nanoTime();
      server.stop(Duration.ofMinutes(1));
      for (WsClient c : clients) {
        assertThat(c.awaitClose().code()).isEqualTo(CloseCodes.SERVICE_RESTART);
      }
      assertThat(Duration.ofNanos(System.nanoTime() - t0))
          .as("the closes were spread over the drain time, not sent at once")
          .isGreaterThanOrEqualTo(DRAIN.dividedBy(2));
    } finally {
      clients.forEach(WsClient::close);
    }
  }

  /** {@link #CLIENTS} members of {@code room}, each past its welcome and the others' joins. */
  private static List<WsClient> connect(String room) {
    List<WsClient> clients = new ArrayList<>();
    for (int i = 0; i < CLIENTS; i++) {
      WsClient c = WsClient.connect(server.ws("/" + room));
      c.next("system");
      clients.add(c);
    }
    clients.get(0).send("{\"content\":\"everyone is in\"}");
    for (WsClient c : clients) {
      assertThat(c.next("message").path("content").asText()).isEqualTo("everyone is in");
    }
    return clients;
  }
}
