package dev.roomcast.spring.boot.autoconfigure;

import org.junit.jupiter.api.Tag;

/** {@link ServerContract} on embedded Tomcat. */
@Tag("tomcat")
class TomcatTest extends ServerContract {
  @Override
  String server() {
    return "Tomcat";
  }
}
