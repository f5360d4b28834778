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
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;

/** The shaded jar running as a child process on a free port, with HTTP helpers for the ITs. */
final class JarProcess implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  final NodeTools.Running process;
  final int port;

  private JarProcess(NodeTools.Running process, int port) {
    this.process = process;
    this.port = port;
  }

  /** Starts {@code java -jar roomcast-example.jar} on 127.0.0.1 and a free port. */
  static JarProcess start(Map<String, String> env) throws Exception {
    return start(env, List.of("-Xmx256m"));
  }

  /** The same with these JVM options instead of the default heap cap. */
  static JarProcess start(Map<String, String> env, List<String> jvmOptions) throws Exception {
    Map<String, String> e = new HashMap<>(env);
    e.putIfAbsent("PORT", "0");
    e.putIfAbsent("ROOMCAST_BIND_ADDRESS", "127.0.0.1");
    NodeTools.Running p = ExampleJarIT.startJar(e, jvmOptions);
    String line =
        p.await("the startup line", ExampleJarIT.LISTENING.asPredicate(), Duration.ofSeconds(60));
    Matcher m = ExampleJarIT.LISTENING.matcher(line);
    assertThat(m.find()).isTrue();
    return new JarProcess(p, Integer.parseInt(m.group(1)));
  }

  URI ws(String path) {
    return URI.create("ws://127.0.0.1:" + port + path);
  }

  URI http(String path) {
    return URI.create("http://127.0.0.1:" + port + path);
  }

  HttpResponse<String> get(String path) {
    return send(HttpRequest.newBuilder(http(path)).GET().build());
  }

  /** {@code POST /rooms/{room}/messages}. */
  HttpResponse<String> publish(String room, String contentJson) {
    return send(
        HttpRequest.newBuilder(http("/rooms/" + room + "/messages"))
            .POST(HttpRequest.BodyPublishers.ofString("{\"content\":" + contentJson + "}"))
            .build());
  }

  int readyStatus() {
    return get("/ready").statusCode();
  }

  JsonNode metrics() {
    try {
      return JSON.readTree(get("/metrics").body());
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  static HttpResponse<String> send(HttpRequest request) {
    try {
      return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new AssertionError(request + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** SIGTERM without closing our ends of the pipes (so the last log lines stay readable). */
  void sigterm() {
    assertThat(process.process.toHandle().destroy()).isTrue();
  }

  /** SIGKILL: the instance dies without saying goodbye to anyone. */
  void kill() throws InterruptedException {
    process.process.toHandle().destroyForcibly();
    process.process.waitFor();
  }

  @Override
  public void close() throws InterruptedException {
    process.close();
  }
}
