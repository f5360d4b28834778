package dev.roomcast.example;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;

/** An {@link ExampleServer} started in-process on a free loopback port, and HTTP helpers. */
final class TestServer implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  final ExampleServer server;

  private TestServer(ExampleServer server) {
    this.server = server;
  }

  /** Starts with the defaults overridden by {@code env} (port 0 on 127.0.0.1 unless given). */
  static TestServer start(Map<String, String> env) throws IOException {
    Map<String, String> e = new HashMap<>();
    e.put("PORT", "0");
    e.put("ROOMCAST_BIND_ADDRESS", "127.0.0.1");
    e.putAll(env);
    return new TestServer(ExampleServer.start(ServerConfig.fromEnv(e)));
  }

  static TestServer start() throws IOException {
    return start(Map.of());
  }

  int port() {
    return server.port();
  }

  URI ws(String pathAndQuery) {
    return URI.create("ws://127.0.0.1:" + port() + pathAndQuery);
  }

  URI http(String path) {
    return URI.create("http://127.0.0.1:" + port() + path);
  }

  HttpResponse<String> get(String path) {
    return request(HttpRequest.newBuilder(http(path)).GET().build());
  }

  HttpResponse<String> request(HttpRequest request) {
    try {
      return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new AssertionError(request + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** The server's {@code /metrics} document. */
  JsonNode metrics() {
    try {
      return JSON.readTree(get("/metrics").body());
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  /**
   * Waits until {@code /metrics} shows no connection, no hub member, no WebSocket session and no
   * room: nothing was leaked by what a test just did.
   */
  void awaitNothingOpen(Duration timeout) {
    await(
        "no connection, session or room left",
        timeout,
        () -> {
          JsonNode m = metrics();
          return m.path("total_connections").asInt() == 0
              && m.path("room_count").asInt() == 0
              && m.path("roomcast").path("connections").asInt() == 0
              && m.path("roomcast").path("websocket_sessions").asInt() == 0;
        });
  }

  /** Polls {@code condition} every 10 ms until it holds, failing after {@code timeout}. */
  static void await(String what, Duration timeout, BooleanSupplier condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        assertThat(condition.getAsBoolean()).as(what + " within " + timeout).isTrue();
      }
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }

  @Override
  public void close() {
    server.stop();
  }
}
