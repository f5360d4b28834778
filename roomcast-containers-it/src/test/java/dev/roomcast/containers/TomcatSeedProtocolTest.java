package dev.roomcast.containers;

import dev.roomcast.Hub;
import dev.roomcast.jakarta.RoomcastEndpointConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;

/** The seed protocol against roomcast deployed into embedded Tomcat 11 from a listener. */
@Tag("tomcat")
class TomcatSeedProtocolTest extends SeedProtocolContract {
  static TomcatHarness server;

  @BeforeAll
  static void start() throws Exception {
    server = TomcatHarness.start(Hub.builder().build(), RoomcastEndpointConfig.defaults());
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
    return "org.eclipse.jetty.server.Server";
  }
}
