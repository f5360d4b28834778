package dev.roomcast.containers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.roomcast.jakarta.testkit.WsClient;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A bad {@code roomcast.*} value fails the deployment in the real server, with a message that names
 * the property, instead of an application that runs half-configured.
 */
@Tag("payara")
class PayaraBadConfigurationTest {
  static PayaraMicroServer server;

  @BeforeAll
  static void start() throws Exception {
    server =
        PayaraMicroServer.builder("bad-configuration")
            .property("roomcast.limits.max-connections", "lots")
            .dontAwaitReady()
            .start();
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void theDeploymentFailsNamingTheProperty() {
    // the boot ends either way; the deployment's error is logged before that
    server.awaitLogLine("ready in", PayaraMicroServer.STARTUP_TIMEOUT);
    String line =
        server.awaitLogLine(
            "RoomcastConfigurationException: roomcast.limits.max-connections must be a whole"
                + " number, was 'lots'",
            Duration.ofSeconds(10));
    assertThat(line).isNotNull();

    PayaraMicroServer.Answer ready = server.readiness();
    assertThat(ready.status()).as(ready.body()).isNotEqualTo(200);
    assertThatThrownBy(() -> WsClient.connect(server.ws("/lobby")))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("could not connect");
  }
}
