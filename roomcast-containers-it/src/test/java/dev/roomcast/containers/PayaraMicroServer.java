package dev.roomcast.containers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * A real Payara Micro server (the jar from Maven Central) in its own process, on a free loopback
 * port, with the sample WAR ({@code roomcast-jakarta-ee-sample}) deployed at {@code /}: WebSocket
 * at {@code /ws/{room}}, JAX-RS under {@code /api}, MicroProfile Health at {@code /health}.
 * roomcast settings are passed as system properties, which MicroProfile Config reads.
 *
 * <p>The process gets a directory of its own (configuration root, temp files, the exploded WAR) and
 * writes its log to {@code target/payara-logs/<name>.log}, which a failure message points at.
 * Hazelcast is off ({@code --nohazelcast}): instances share nothing but what the test gives them (a
 * Redis). Every wait polls a condition with a generous deadline; nothing sleeps a fixed time.
 */
final class PayaraMicroServer implements RoomcastServer, AutoCloseable {
  /** Boot and deploy take about 10 s on a quiet 2-core machine; allow for a busy one. */
  static final Duration STARTUP_TIMEOUT = Duration.ofMinutes(3);

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String name;
  private final Path dir;
  private final Path log;
  private final Path exploded;
  private final int port;
  private final Process process;

  /** Kills the server if the test JVM ends without closing it (a timeout, a crash). */
  private final Thread reaper;

  private PayaraMicroServer(Builder b) throws IOException {
    this.name = b.name;
    this.dir = Files.createTempDirectory("roomcast-payara-" + name);
    Path logs = Path.of(System.getProperty("roomcast.test.logs", "target/payara-logs"));
    Files.createDirectories(logs);
    this.log = logs.resolve(name + ".log");
    Path war = Path.of(required("roomcast.test.sample.war"));
    Path deployment = war;
    if (b.exploded) {
      deployment = dir.resolve("roomcast-jakarta-ee-sample");
      unzip(war, deployment);
      this.exploded = deployment;
    } else {
      this.exploded = null;
    }
    this.port = freePort();
    // only loopback: the default listener binds every interface
    Path preboot = dir.resolve("preboot.txt");
    Files.writeString(
        preboot,
        "set configs.config.server-config.network-config.network-listeners.network-listener"
            + ".http-listener.address=127.0.0.1\n");
    Path tmp = Files.createDirectories(dir.resolve("tmp"));

    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    // a small, quickly started JVM: the tests measure behaviour, not throughput
    command.addAll(List.of("-Xmx384m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"));
    command.add("-Djava.io.tmpdir=" + tmp);
    b.properties.forEach((k, v) -> command.add("-D" + k + "=" + v));
    command.addAll(
        List.of(
            "-jar",
            required("roomcast.test.payara.jar"),
            "--port",
            Integer.toString(port),
            "--nohazelcast",
            "--disablephonehome",
            "--rootdir",
            dir.resolve("root").toString(),
            "--prebootcommandfile",
            preboot.toString(),
            "--deploy",
            deployment.toString(),
            "--contextroot",
            "/"));
    this.process =
        new ProcessBuilder(command)
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    this.reaper = new Thread(process::destroyForcibly, "payara-reaper-" + name);
    Runtime.getRuntime().addShutdownHook(reaper);
    if (b.awaitReady) {
      try {
        awaitCondition("Payara Micro '" + name + "' ready", STARTUP_TIMEOUT, this::answersReady);
      } catch (RuntimeException | Error e) {
        close();
        throw e;
      }
    }
  }

  static Builder builder(String name) {
    return new Builder(name);
  }

  /** The bound HTTP port. */
  int port() {
    return port;
  }

  /** The OS process id, for the failure messages of tests. */
  long pid() {
    return process.pid();
  }

  @Override
  public URI ws(String roomPathAndQuery) {
    String p = roomPathAndQuery;
    if (p.equals("/")) {
      p = "";
    } else if (p.startsWith("/?")) {
      p = p.substring(1);
    }
    return URI.create("ws://127.0.0.1:" + port + "/ws" + p);
  }

  URI http(String path) {
    return URI.create("http://127.0.0.1:" + port + path);
  }

  /** An HTTP answer: status and body. */
  record Answer(int status, String body) {
    JsonNode json() {
      try {
        return JSON.readTree(body);
      } catch (IOException e) {
        throw new AssertionError("not JSON (" + status + "): " + body, e);
      }
    }
  }

  Answer get(String path) {
    return send(HttpRequest.newBuilder(http(path)).GET());
  }

  /** {@code POST} of a JSON body, as the signed-in {@code user} (HTTP Basic) unless null. */
  Answer postJson(String path, String json, String user, String password) {
    HttpRequest.Builder r =
        HttpRequest.newBuilder(http(path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json));
    if (user != null) {
      r.header("Authorization", basic(user, password));
    }
    return send(r);
  }

  static String basic(String user, String password) {
    return "Basic "
        + Base64.getEncoder()
            .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  /** MicroProfile Health's readiness answer: 200 with status UP, or 503 with DOWN. */
  Answer readiness() {
    return get("/health/ready");
  }

  /** Waits until the server's log has a line containing {@code text}; returns that line. */
  String awaitLogLine(String text, Duration timeout) {
    String[] found = new String[1];
    awaitCondition(
        "a line with '" + text + "' in " + log.toAbsolutePath(),
        timeout,
        () -> {
          try (Stream<String> lines = Files.lines(log, StandardCharsets.ISO_8859_1)) {
            found[0] = lines.filter(l -> l.contains(text)).findFirst().orElse(null);
            return found[0] != null;
          } catch (IOException | UncheckedIOException e) {
            return false;
          }
        });
    return found[0];
  }

  /** How many lines of the log contain {@code text} now (0 while the log cannot be read). */
  long countLogLines(String text) {
    try (Stream<String> lines = Files.lines(log, StandardCharsets.ISO_8859_1)) {
      return lines.filter(l -> l.contains(text)).count();
    } catch (IOException | UncheckedIOException e) {
      return 0;
    }
  }

  private boolean answersReady() {
    if (!process.isAlive()) {
      throw new AssertionError(
          "Payara Micro '"
              + name
              + "' exited with "
              + process.exitValue()
              + " before it was ready; log: "
              + log.toAbsolutePath()
              + "\n"
              + tail());
    }
    try {
      return HTTP.send(
                  HttpRequest.newBuilder(http("/health/ready"))
                      .timeout(Duration.ofSeconds(10))
                      .build(),
                  HttpResponse.BodyHandlers.discarding())
              .statusCode()
          == 200;
    } catch (IOException e) {
      return false; // not listening yet
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private Answer send(HttpRequest.Builder request) {
    try {
      HttpResponse<String> r =
          HTTP.send(
              request.timeout(Duration.ofSeconds(30)).build(),
              HttpResponse.BodyHandlers.ofString());
      return new Answer(r.statusCode(), r.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /**
   * Redeploys the exploded application the way Payara Micro documents it: by touching its {@code
   * .reload} file. The server undeploys the running application (its shutdown hooks run, as for any
   * undeploy) and deploys it again. Returns at once; the caller waits for what it expects.
   */
  void redeploy() throws IOException {
    if (exploded == null) {
      throw new IllegalStateException("only an exploded deployment can be redeployed");
    }
    Path reload = exploded.resolve(".reload");
    if (!Files.exists(reload)) {
      Files.createFile(reload);
    }
    // a time clearly after the last check, whatever the file system's timestamp resolution
    Files.setLastModifiedTime(reload, FileTime.from(Instant.now().plusSeconds(2)));
  }

  /**
   * Stops the server as an orchestrator does, with SIGTERM, and waits until the process exited.
   *
   * @return the exit code
   */
  int stop(Duration timeout) throws InterruptedException {
    process.destroy();
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError(
          "Payara Micro '" + name + "' still running " + timeout + " after SIGTERM\n" + tail());
    }
    return process.exitValue();
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /** Kills the process if it still runs and deletes its directory. Keeps the log. */
  @Override
  public void close() {
    if (process.isAlive()) {
      process.destroy();
      try {
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
          process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
    deleteTree(dir);
    try {
      Runtime.getRuntime().removeShutdownHook(reaper);
    } catch (IllegalStateException e) {
      // the JVM is already shutting down: the hook runs anyway
    }
  }

  /** The last lines of the server's log, for failure messages. */
  String tail() {
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    } catch (IOException | UncheckedIOException e) {
      return "(log unreadable: " + e + ")";
    }
  }

  @Override
  public String toString() {
    return "Payara Micro '" + name + "' on port " + port + " (pid " + process.pid() + ")";
  }

  /** Polls {@code condition} every 50 ms until it holds; fails after {@code timeout}. */
  static void awaitCondition(String what, Duration timeout, BooleanSupplier condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("timed out after " + timeout + " waiting for: " + what);
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }

  private static String required(String property) {
    String v = System.getProperty(property);
    if (v == null || v.isBlank() || v.startsWith("${")) {
      throw new IllegalStateException(
          property + " is not set: run this test through Maven (roomcast-containers-it's POM)");
    }
    return v;
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private static void unzip(Path zip, Path into) throws IOException {
    try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
      for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
        Path target = into.resolve(e.getName()).normalize();
        if (!target.startsWith(into)) {
          throw new IOException("entry outside the archive: " + e.getName());
        }
        if (e.isDirectory()) {
          Files.createDirectories(target);
        } else {
          Files.createDirectories(target.getParent());
          Files.copy(in, target);
        }
      }
    }
  }

  private static void deleteTree(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a leftover temp directory is not worth failing a test for
    }
  }

  /** Options for one server. */
  static final class Builder {
    private final String name;
    private final Map<String, String> properties = new LinkedHashMap<>();
    private boolean exploded;
    private boolean awaitReady = true;

    private Builder(String name) {
      this.name = name;
    }

    /** A system property for the server's JVM, e.g. {@code roomcast.backplane=redis}. */
    Builder property(String key, String value) {
      properties.put(key, value);
      return this;
    }

    /** Deploy the WAR's contents as a directory, so that {@link #redeploy()} works. */
    Builder exploded() {
      this.exploded = true;
      return this;
    }

    /** Return once the process runs, without waiting for the application to be ready. */
    Builder dontAwaitReady() {
      this.awaitReady = false;
      return this;
    }

    PayaraMicroServer start() throws IOException {
      return new PayaraMicroServer(this);
    }
  }
}
