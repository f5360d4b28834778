package dev.roomcast.jakarta;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roomcast.CloseCodes;
import dev.roomcast.Hub;
import dev.roomcast.jakarta.testkit.WsClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class DrainTest {

  @Test
  void drainClosesEveryoneWith1012AndRefusesNewcomers() throws Exception {
    try (TyrusHarness server =
        TyrusHarness.start(Hub.builder().build(), RoomcastEndpointConfig.defaults())) {
      List<WsClient> clients = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        WsClient c = WsClient.connect(server.ws("/d" + (i % 2)));
        c.next("system");
        clients.add(c);
      }
      assertThat(server.deployment.openSessions()).isEqualTo(6);

      server.hub.drain(Duration.ofMillis(300)).get(5, TimeUnit.SECONDS);
      for (WsClient c : clients) {
        assertThat(c.awaitClose().code())
            .as(
                clients.indexOf(c)
                    + " of "
                    + clients.size()
                    + ": "
                    + clients.stream().map(WsClient::isClosed).toList())
            .isEqualTo(CloseCodes.SERVICE_RESTART);
        c.close();
      }
      try (WsClient late = WsClient.connect(server.ws("/d0"))) {
        assertThat(late.awaitClose().code()).isEqualTo(CloseCodes.SERVICE_RESTART);
      }
      assertThat(server.deployment.awaitSessionsClosed(Duration.ofSeconds(5))).isTrue();
      assertThat(server.hub.roomSizes()).isEmpty();
    }
  }
}
