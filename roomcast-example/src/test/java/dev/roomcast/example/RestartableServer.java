package dev.roomcast.example;

import dev.roomcast.Hub;
import dev.roomcast.redis.RedisBackplane;
import dev.roomcast.redis.RedisServer;
import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * An {@link ExampleServer} on a test-started Redis ({@code REDIS_URL}) that a test stops and starts
 * again in-process on the same port, plus a second hub on the same Redis ("another node") that
 * keeps publishing while the server is down. One per test class.
 */
final class RestartableServer implements AutoCloseable {
  static final Duration WAIT = Duration.ofSeconds(20);

  final RedisServer redis;
  final Hub otherNode;
  private final ServerConfig config;
  private volatile ExampleServer server;
  private final int port;

  private RestartableServer(Map<String, String> env) throws IOException {
    redis = RedisServer.start();
    Map<String, String> e = new HashMap<>();
    e.put("PORT", "0");
    e.put("ROOMCAST_BIND_ADDRESS", "127.0.0.1");
    e.put("REDIS_URL", redis.uri());
    e.putAll(env);
    ExampleServer s = ExampleServer.start(ServerConfig.fromEnv(e));
    server = s;
    port = s.port();
    config = ServerConfig.builder(s.config()).port(port).build();
    TestServer.await("the server is ready", WAIT, s::isReady);
    otherNode = Hub.builder().backplane(RedisBackplane.builder().uri(redis.uri()).build()).build();
    TestServer.await("the other node is ready", WAIT, otherNode::isReady);
  }

  static RestartableServer start(Map<String, String> env) throws IOException {
    return new RestartableServer(env);
  }

  int port() {
    return port;
  }

  ExampleServer server() {
    return server;
  }

  /** Starts the server again on its port; the old listener's port may linger for a moment. */
  void startAgain() throws Exception {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (true) {
      try {
        server = ExampleServer.start(config);
        return;
      } catch (IOException e) {
        if (System.nanoTime() > deadline) {
          throw e;
        }
        Thread.sleep(50); // retrying a bind, not waiting for a condition
      }
    }
  }

  @Override
  public void close() {
    try {
      server.stop();
    } finally {
      try {
        otherNode.close();
      } finally {
        redis.close();
      }
    }
  }
}
