package dev.roomcast.containers;

import dev.roomcast.Hub;
import dev.roomcast.jakarta.RoomcastDeployment;
import java.net.URI;

/** A servlet container started on a free loopback port with roomcast's endpoint deployed in it. */
interface ContainerHarness extends RoomcastServer, AutoCloseable {
  /** The hub the endpoint's sessions join. */
  Hub hub();

  /** The deployment {@code RoomcastEndpoints.deploy} returned inside the container. */
  RoomcastDeployment deployment();

  /** The bound port. */
  int port();

  /** The endpoint is deployed at {@code /}, so the room path is the request path. */
  @Override
  default URI ws(String pathAndQuery) {
    return URI.create("ws://127.0.0.1:" + port() + pathAndQuery);
  }

  /** Stops the container and closes the hub. */
  @Override
  void close();
}
