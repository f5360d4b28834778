package dev.roomcast.containers;

import dev.roomcast.Hub;
import dev.roomcast.jakarta.RoomcastEndpointConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;

/**
 * The seed protocol against roomcast deployed into the embedded container of this run (Tomcat 11
 * from a listener, or Jetty 12 ee10): one suite, run once per container's class path.
 */
@Tag("tomcat")
@Tag("jetty")
class EmbeddedSeedProtocolTest extends SeedProtocolContract {
  static EmbeddedContainer container;
  static ContainerHarness server;

  @BeforeAll
  static void start() throws Exception {
    container = EmbeddedContainer.onClassPath();
    server = container.start(Hub.builder().build(), RoomcastEndpointConfig.defaults());
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Override
  protected ContainerHarness server() {
    return server;
  }

  @Override
  protected String otherContainerClass() {
    return container.otherContainerClass();
  }
}
