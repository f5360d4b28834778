package dev.roomcast.containers;

import dev.roomcast.Hub;
import dev.roomcast.jakarta.RoomcastEndpointConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;

/** The seed protocol against roomcast deployed into embedded Jetty 12 (ee10). */
@Tag("jetty")
class JettySeedProtocolTest extends SeedProtocolContract {
  static JettyHarness server;

  @BeforeAll
  static void start() throws Exception {
    server = JettyHarness.start(Hub.builder().build(), RoomcastEndpointConfig.defaults());
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
    return "org.apache.catalina.startup.Tomcat";
  }
}
