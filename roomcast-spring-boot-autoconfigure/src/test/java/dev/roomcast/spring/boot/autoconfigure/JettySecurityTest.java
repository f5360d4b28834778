package dev.roomcast.spring.boot.autoconfigure;

import org.junit.jupiter.api.Tag;

/** {@link SecurityContract} on embedded Jetty (the jetty surefire execution: no Tomcat). */
@Tag("jetty")
class JettySecurityTest extends SecurityContract {
  @Override
  String server() {
    return "Jetty";
  }
}
