package dev.roomcast.spring.boot.autoconfigure;

import org.junit.jupiter.api.Tag;

/**
 * {@link ServerContract} on embedded Jetty (its own surefire execution, without Tomcat on the class
 * path).
 */
@Tag("jetty")
class JettyTest extends ServerContract {
  @Override
  String server() {
    return "Jetty";
  }
}
