package dev.roomcast.containers;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;

/** Keepalive inside embedded Tomcat 11, whose {@code sendPing} blocks behind a stuck write. */
@Tag("tomcat")
class TomcatKeepaliveTest extends KeepaliveContract {
  static TomcatHarness server;

  @BeforeAll
  static void start() throws Exception {
    server = TomcatHarness.start(hub(), endpointConfig(), SEND_BUFFER_BYTES);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Override
  protected ContainerHarness server() {
    return server;
  }
}
