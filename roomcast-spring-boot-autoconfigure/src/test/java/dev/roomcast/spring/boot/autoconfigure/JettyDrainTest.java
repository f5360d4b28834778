package dev.roomcast.spring.boot.autoconfigure;

import org.junit.jupiter.api.Tag;

/** {@link DrainContract} on embedded Jetty (the jetty surefire execution: no Tomcat). */
@Tag("jetty")
class JettyDrainTest extends DrainContract {
  @Override
  String server() {
    return "Jetty";
  }
}
