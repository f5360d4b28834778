package dev.roomcast.spring.boot.autoconfigure;

import org.junit.jupiter.api.Tag;

/** {@link SecurityContract} on embedded Tomcat. */
@Tag("tomcat")
class TomcatSecurityTest extends SecurityContract {
  @Override
  String server() {
    return "Tomcat";
  }
}
