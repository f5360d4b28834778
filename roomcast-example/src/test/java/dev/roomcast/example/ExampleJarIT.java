package dev.roomcast.example;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roomcast.CloseCodes;
import dev.roomcast.jakarta.testkit.WsClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The shaded jar as a real child process: {@code java -jar target/roomcast-example.jar}. Runs in
 * the integration-test phase (after package). {@link ProcessHandle#destroy()} sends SIGTERM on
 * Linux.
 */
class ExampleJarIT {
  static final Path JAR =
      Path.of(System.getProperty("roomcast.test.jar", "target/roomcast-example.jar"));
  static final Pattern LISTENING = Pattern.compile("roomcast listening on 127\\.0\\.0\\.1:(\\d+),");

  static NodeTools.Running startJar(Map<String, String> env) throws Exception {
    return startJar(env, List.of("-Xmx256m"));
  }

  /** Starts the jar with {@code jvmOptions} (heap caps and the like) before {@code -jar}. */
  static NodeTools.Running startJar(Map<String, String> env, List<String> jvmOptions)
      throws Exception {
    assertThat(JAR).as("the shaded jar (built by mvn package)").exists();
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command = new ArrayList<>();
    command.add(java);
    command.addAll(jvmOptions);
    command.add("-jar");
    command.add(JAR.toAbsolutePath().toString());
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().keySet().removeIf(k -> k.equals("PORT") || k.startsWith("ROOMCAST_"));
    pb.environment().remove("REDIS_URL");
    pb.environment().remove("LOG_LEVEL");
    pb.environment().putAll(env);
    return new NodeTools.Running(pb.start());
  }

  @Test
  void sigtermDrainsEveryConnectionWith1012AndExitsWithinTenSeconds() throws Exception {
    try (NodeTools.Running jar =
        startJar(
            Map.of(
                "PORT", "0",
                "ROOMCAST_BIND_ADDRESS", "127.0.0.1",
                "ROOMCAST_DRAIN_SECONDS", "3",
                "LOG_LEVEL", "debug"))) {
      String line = jar.await("the startup line", LISTENING.asPredicate(), Duration.ofSeconds(30));
      assertThat(line).contains("backplane in-memory").contains("maxMessageBytes=65536");
      Matcher m = LISTENING.matcher(line);
      assertThat(m.find()).isTrue();
      int port = Integer.parseInt(m.group(1));

      HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      HttpResponse<String> health =
          http.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health")).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(health.body()).isEqualTo("OK");
      HttpResponse<String> page =
          http.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/")).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(page.body()).contains("chat.js");

      List<WsClient> clients = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        WsClient c = WsClient.connect(URI.create("ws://127.0.0.1:" + port + "/room" + (i % 2)));
        c.next("system");
        clients.add(c);
      }
      jar.await(
          "a connection event at debug level",
          l -> l.contains("FINE RoomcastEndpoint: session ") && l.contains(" joined room0 as "),
          Duration.ofSeconds(5));

      long t0 = System.nanoTime();
      // SIGTERM. Process.destroy() sends the same signal but also closes our ends of the child's
      // pipes, so the drain's log lines would be lost; ProcessHandle.destroy() only signals.
      assertThat(jar.process.toHandle().destroy()).isTrue();
      for (WsClient c : clients) {
        WsClient.Close close = c.awaitClose(Duration.ofSeconds(10));
        assertThat(close.code()).isEqualTo(CloseCodes.SERVICE_RESTART);
        c.close();
      }
      assertThat(jar.process.waitFor(10, TimeUnit.SECONDS)).as("exited within 10 s").isTrue();
      long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
      assertThat(ms).isLessThan(10_000);
      assertThat(jar.process.exitValue()).isEqualTo(143); // 128 + SIGTERM, after the hook ran
      jar.await(
          "the drain log",
          l -> l.contains("draining 6 connections over 3000 ms"),
          Duration.ofSeconds(2));
      jar.await("the stop log", l -> l.contains("roomcast stopped"), Duration.ofSeconds(2));
    }
  }

  @Test
  void aBadVariableStopsStartupWithExitCode2() throws Exception {
    try (NodeTools.Running jar = startJar(Map.of("ROOMCAST_MAX_MESSAGE_BYTES", "lots"))) {
      assertThat(jar.process.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(jar.process.exitValue()).isEqualTo(Main.EXIT_CONFIG);
      jar.await(
          "the message",
          l ->
              l.equals(
                  "roomcast: configuration error: ROOMCAST_MAX_MESSAGE_BYTES must be a whole"
                      + " number, was 'lots'"),
          Duration.ofSeconds(2));
    }
  }

  @Test
  void anUnusableRedisUrlStopsStartup() throws Exception {
    try (NodeTools.Running jar = startJar(Map.of("PORT", "0", "REDIS_URL", "http://cache:6379"))) {
      assertThat(jar.process.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(jar.process.exitValue()).isEqualTo(Main.EXIT_CONFIG);
      jar.await("the message", l -> l.contains("REDIS_URL is not usable:"), Duration.ofSeconds(2));
    }
  }
}
