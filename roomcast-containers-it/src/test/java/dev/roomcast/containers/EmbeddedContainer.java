package dev.roomcast.containers;

import dev.roomcast.Hub;
import dev.roomcast.jakarta.RoomcastEndpointConfig;

/**
 * The embedded servlet container of this test run: Tomcat in the {@code default-test} execution,
 * Jetty in the {@code jetty} one. Each execution has only its own container (and its copy of the
 * servlet and WebSocket APIs) on the class path, so one suite class serves both, and the harness is
 * the one whose classes are there. The harness classes are touched only on that branch, so the
 * other container's harness is never loaded.
 */
enum EmbeddedContainer {
  TOMCAT("org.apache.catalina.startup.Tomcat"),
  JETTY("org.eclipse.jetty.server.Server");

  private final String markerClass;

  EmbeddedContainer(String markerClass) {
    this.markerClass = markerClass;
  }

  /** The container on this run's class path; fails when there is none or both. */
  static EmbeddedContainer onClassPath() {
    boolean tomcat = TOMCAT.present();
    boolean jetty = JETTY.present();
    if (tomcat == jetty) {
      throw new IllegalStateException(
          "expected exactly one embedded container on the class path, found tomcat="
              + tomcat
              + " jetty="
              + jetty);
    }
    return tomcat ? TOMCAT : JETTY;
  }

  boolean present() {
    try {
      Class.forName(markerClass, false, EmbeddedContainer.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException e) {
      return false;
    }
  }

  /** A class of the other container, which must not be on this run's class path. */
  String otherContainerClass() {
    return (this == TOMCAT ? JETTY : TOMCAT).markerClass;
  }

  ContainerHarness start(Hub hub, RoomcastEndpointConfig config) throws Exception {
    return this == TOMCAT ? TomcatHarness.start(hub, config) : JettyHarness.start(hub, config);
  }

  ContainerHarness start(Hub hub, RoomcastEndpointConfig config, int sendBufferBytes)
      throws Exception {
    return this == TOMCAT
        ? TomcatHarness.start(hub, config, sendBufferBytes)
        : JettyHarness.start(hub, config, sendBufferBytes);
  }
}
