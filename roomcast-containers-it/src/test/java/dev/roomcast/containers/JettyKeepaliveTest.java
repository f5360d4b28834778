package dev.roomcast.containers;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;

/** Keepalive inside embedded Jetty 12 (ee10), whose {@code sendPing} blocks until written. */
@Tag("jetty")
class JettyKeepaliveTest extends KeepaliveContract {
  static JettyHarness server;

  @BeforeAll
  static void start() throws Exception {
    server = JettyHarness.start(hub(), endpointConfig(), SEND_BUFFER_BYTES);
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
