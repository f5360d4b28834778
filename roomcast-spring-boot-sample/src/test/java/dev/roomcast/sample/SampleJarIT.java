package dev.roomcast.sample;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roomcast.jakarta.testkit.WsClient;
import java.io.File;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The packaged sample as its README says to run it, {@code java -jar
 * target/roomcast-spring-boot-sample.jar}, in its own process: it serves rooms, and SIGTERM drains
 * them (1012) before the process exits.
 */
class SampleJarIT {
  static final HttpClient HTTP = HttpClient.newHttpClient();

  @Test
  void theJarServesRoomsAndDrainsOnSigterm() throws Exception {
    Path jar =
        Path.of(System.getProperty("roomcast.test.jar", "target/roomcast-spring-boot-sample.jar"));
    assertThat(jar).exists();
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Path log = Files.createTempFile("roomcast-sample", ".log");
    ProcessBuilder pb =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m",
                "-jar",
                jar.toString())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    pb.environment().put("SERVER_PORT", Integer.toString(port));
    pb.environment().put("ROOMCAST_DRAIN_TIME", "200ms");
    Process p = pb.start();
    try {
      awaitReady(port, p, log.toFile());
      try (WsClient member = WsClient.connect(URI.create("ws://127.0.0.1:" + port + "/ws/jar"))) {
        assertThat(member.next().path("room").asText()).isEqualTo("jar");
        HttpResponse<String> sent =
            HTTP.send(
                HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/api/rooms/jar/messages"))
                    .header("Content-Type", "application/json")
                    .header(
                        "Authorization",
                        "Basic "
                            + Base64.getEncoder()
                                .encodeToString("bob:bob-secret".getBytes(StandardCharsets.UTF_8)))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"text\":\"from the jar\"}"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(sent.statusCode()).isEqualTo(200);
        assertThat(member.next("message").path("content").path("user").asText()).isEqualTo("bob");

        p.destroy(); // SIGTERM
        assertThat(member.awaitClose().code()).isEqualTo(1012);
      }
      assertThat(p.waitFor(20, TimeUnit.SECONDS)).as("exited after SIGTERM").isTrue();
      assertThat(p.exitValue()).isEqualTo(143);
    } finally {
      p.destroyForcibly();
      Files.deleteIfExists(log);
    }
  }

  private static void awaitReady(int port, Process p, File log) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    URI readiness = URI.create("http://127.0.0.1:" + port + "/actuator/health/readiness");
    while (System.nanoTime() < deadline) {
      if (!p.isAlive()) {
        throw new AssertionError("the sample exited: " + Files.readString(log.toPath()));
      }
      try {
        if (HTTP.send(
                    HttpRequest.newBuilder(readiness).build(),
                    HttpResponse.BodyHandlers.discarding())
                .statusCode()
            == 200) {
          return;
        }
      } catch (java.io.IOException e) {
        // not listening yet
      }
      Thread.sleep(100);
    }
    throw new AssertionError("not ready within 60 s: " + Files.readString(log.toPath()));
  }
}
