package dev.roomcast.containers;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;

/**
 * Keepalive inside the embedded container of this run: Tomcat 11, whose {@code sendPing} blocks
 * behind a stuck write, or Jetty 12 (ee10), whose {@code sendPing} blocks until written.
 */
@Tag("tomcat")
@Tag("jetty")
class EmbeddedKeepaliveTest extends KeepaliveContract {
  static ContainerHarness server;

  @BeforeAll
  static void start() throws Exception {
    server = EmbeddedContainer.onClassPath().start(hub(), endpointConfig(), SEND_BUFFER_BYTES);
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
