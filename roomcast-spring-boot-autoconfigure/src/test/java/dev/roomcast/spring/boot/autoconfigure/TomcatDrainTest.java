package dev.roomcast.spring.boot.autoconfigure;

import org.junit.jupiter.api.Tag;

/** {@link DrainContract} on embedded Tomcat. */
@Tag("tomcat")
class TomcatDrainTest extends DrainContract {
  @Override
  String server() {
    return "Tomcat";
  }
}
