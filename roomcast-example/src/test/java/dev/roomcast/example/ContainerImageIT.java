package dev.roomcast.example;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The container image, as far as it can be checked without a Docker daemon or a registry: the Jib
 * image built on {@code scratch} into {@code target/jib-image-check.tar} during {@code package}
 * (the real one differs only in its base, a JRE), and the {@code Dockerfile} at the repository
 * root, read as text. The base's JRE is the one thing not checked here.
 */
class ContainerImageIT {
  static final Path TAR =
      Path.of(System.getProperty("roomcast.test.image.tar", "target/jib-image-check.tar"));
  static final Path DOCKERFILE =
      Path.of(System.getProperty("roomcast.test.dockerfile", "../Dockerfile"));
  static final String MAIN = "dev.roomcast.example.Main";
  static final ObjectMapper JSON = new ObjectMapper();

  /** The image config's {@code config} object. */
  static JsonNode config;

  /** Every file of every layer, in layer order (later layers win). */
  static Map<String, byte[]> files;

  @BeforeAll
  static void readImage() throws IOException {
    assertThat(TAR).as("the Jib image tarball (built by mvn package)").exists();
    Map<String, byte[]> outer;
    try (InputStream in = Files.newInputStream(TAR)) {
      outer = TarReader.read(in);
    }
    JsonNode manifest = JSON.readTree(outer.get("manifest.json")).get(0);
    assertThat(manifest.path("RepoTags").toString()).contains("roomcast-example");
    config = JSON.readTree(outer.get(manifest.path("Config").asText())).path("config");
    files = new LinkedHashMap<>();
    for (JsonNode layer : manifest.path("Layers")) {
      byte[] gz = outer.get(layer.asText());
      assertThat(gz).as("layer " + layer).isNotNull();
      try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
        files.putAll(TarReader.read(in));
      }
    }
  }

  @Test
  void theImageRunsJavaOnTheMainClassAsANonRootUserOnPort8080() {
    List<String> entrypoint = strings(config.path("Entrypoint"));
    assertThat(entrypoint.get(0)).isEqualTo("java");
    // the flags docs/operations.md recommends for a 512 MB container (the benchmarks' flags, less
    // -XX:MaxRAM: in a container the JVM reads the limit from cgroups)
    assertThat(entrypoint)
        .contains(
            "-XX:MaxRAMPercentage=70",
            "-Xmn32m",
            "-XX:+UseSerialGC",
            "-Xss256k",
            "-XX:+ExitOnOutOfMemoryError")
        .doesNotContain("-XX:MaxRAM=512m");
    assertThat(entrypoint.get(entrypoint.size() - 1)).isEqualTo(MAIN);
    assertThat(config.path("ExposedPorts").has("8080/tcp")).isTrue();
    assertThat(strings(config.path("Env"))).contains("PORT=8080");
    assertNonRoot(config.path("User").asText());
  }

  @Test
  void theLayersHoldTheClassesTheLibrariesAndTheChatPage() {
    assertThat(files).containsKey("app/classes/dev/roomcast/example/Main.class");
    assertThat(files).containsKey("app/resources/dev/roomcast/example/static/index.html");
    assertThat(files.keySet())
        .anyMatch(f -> f.matches("app/libs/roomcast-core-[^/]+\\.jar"))
        .anyMatch(f -> f.matches("app/libs/roomcast-jakarta-[^/]+\\.jar"))
        .anyMatch(f -> f.matches("app/libs/roomcast-redis-[^/]+\\.jar"))
        .anyMatch(f -> f.matches("app/libs/micrometer-registry-prometheus-[^/]+\\.jar"))
        .anyMatch(f -> f.matches("app/libs/tyrus-server-[^/]+\\.jar"));
    assertThat(files.keySet()).noneMatch(f -> f.contains("junit") || f.contains("assertj"));
  }

  /**
   * The image's files and entrypoint start the server: the layers unpacked into a directory, the
   * entrypoint run with this JVM and {@code /app} mapped to that directory, the image's environment
   * plus a free port. It answers {@code /health} and drains on SIGTERM.
   */
  @Test
  void theEntrypointStartsTheServerFromTheLayers() throws Exception {
    Path root = Files.createTempDirectory("roomcast-image");
    try {
      for (Map.Entry<String, byte[]> f : files.entrySet()) {
        Path p = root.resolve(f.getKey());
        Files.createDirectories(p.getParent());
        Files.write(p, f.getValue());
      }
      String app = root.resolve("app").toString();
      List<String> command = new ArrayList<>();
      for (String arg : strings(config.path("Entrypoint"))) {
        if (command.isEmpty()) {
          command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        } else if (arg.startsWith("@/app/")) {
          // a JVM argument file of /app paths: the same file with the paths moved
          Path argFile = root.resolve(arg.substring(2));
          String moved = Files.readString(argFile).replace("/app/", app + "/");
          Path rewritten = root.resolve("moved-" + argFile.getFileName());
          Files.writeString(rewritten, moved);
          command.add("@" + rewritten);
        } else {
          command.add(arg.replace("/app/", app + "/"));
        }
      }
      ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
      Map<String, String> env = pb.environment();
      env.keySet()
          .removeIf(k -> k.equals("PORT") || k.startsWith("ROOMCAST_") || k.equals("REDIS_URL"));
      for (String kv : strings(config.path("Env"))) {
        env.put(kv.substring(0, kv.indexOf('=')), kv.substring(kv.indexOf('=') + 1));
      }
      assertThat(env).containsEntry("PORT", "8080");
      env.put("PORT", "0"); // the image's 8080 may be taken on this machine
      env.put("ROOMCAST_BIND_ADDRESS", "127.0.0.1");
      try (NodeTools.Running server = new NodeTools.Running(pb.start())) {
        Matcher m =
            Pattern.compile("roomcast listening on 127\\.0\\.0\\.1:(\\d+),")
                .matcher(
                    server.await(
                        "the startup line",
                        l -> l.contains("roomcast listening on"),
                        Duration.ofSeconds(30)));
        assertThat(m.find()).isTrue();
        HttpResponse<String> health =
            HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .build()
                .send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + m.group(1) + "/health"))
                        .build(),
                    HttpResponse.BodyHandlers.ofString());
        assertThat(health.body()).isEqualTo("OK");
        assertThat(server.process.toHandle().destroy()).isTrue(); // SIGTERM, as on a deploy
        assertThat(server.process.waitFor(15, TimeUnit.SECONDS)).isTrue();
        assertThat(server.process.exitValue()).isEqualTo(143);
      }
    } finally {
      try (Stream<Path> walk = Files.walk(root)) {
        walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  /**
   * The Dockerfile, read as text (no daemon here to build it): its runtime stage is a Java 17 JRE,
   * runs as a non-root user, exposes 8080, sets PORT, and starts the shaded jar with the same JVM
   * flags as the Jib image, in exec form so java gets SIGTERM.
   */
  @Test
  void theDockerfileMatchesTheJibImage() throws IOException {
    List<String[]> all = instructions(Files.readString(DOCKERFILE, StandardCharsets.UTF_8));
    int lastFrom = -1;
    for (int i = 0; i < all.size(); i++) {
      if (all.get(i)[0].equals("FROM")) {
        lastFrom = i;
      }
    }
    assertThat(lastFrom).as("a FROM").isNotNegative();
    assertThat(all.get(lastFrom)[1]).matches("eclipse-temurin:17-jre(\\S*)?");
    Map<String, String> runtime = new HashMap<>();
    List<String> copies = new ArrayList<>();
    for (String[] ins : all.subList(lastFrom + 1, all.size())) {
      if (ins[0].equals("COPY")) {
        copies.add(ins[1]);
      }
      runtime.put(ins[0], ins[1]); // the last of each kind counts
    }
    assertNonRoot(runtime.get("USER"));
    assertThat(runtime.get("EXPOSE")).isEqualTo("8080");
    assertThat(runtime.get("ENV")).isEqualTo("PORT=8080");
    assertThat(copies)
        .contains(
            "--from=build /src/roomcast-example/target/roomcast-example.jar"
                + " /app/roomcast-example.jar");

    String entrypoint = runtime.get("ENTRYPOINT");
    assertThat(entrypoint).as("exec form").startsWith("[");
    List<String> exec = strings(JSON.readTree(entrypoint));
    List<String> jibFlags = strings(config.path("Entrypoint"));
    jibFlags = jibFlags.subList(1, jibFlags.indexOf("-cp"));
    assertThat(exec.get(0)).isEqualTo("java");
    assertThat(exec.subList(1, exec.size() - 2))
        .as("the Jib image's JVM flags")
        .isEqualTo(jibFlags);
    assertThat(exec.subList(exec.size() - 2, exec.size()))
        .containsExactly("-jar", "/app/roomcast-example.jar");

    // the build stage builds that jar with the wrapper that is in the repository
    assertThat(all.get(0)[0]).isEqualTo("FROM");
    assertThat(all.get(0)[1]).matches("eclipse-temurin:17-jdk\\S* AS build");
    assertThat(all.subList(0, lastFrom))
        .anyMatch(
            i ->
                i[0].equals("RUN")
                    && i[1].startsWith("./mvnw ")
                    && i[1].contains("-pl roomcast-example -am package"));
    assertThat(DOCKERFILE.resolveSibling("mvnw")).exists();
    assertThat(DOCKERFILE.resolveSibling(".dockerignore")).exists();
  }

  private static void assertNonRoot(String user) {
    assertThat(user).as("USER").isNotBlank();
    String uid = user.split(":")[0];
    assertThat(uid).as("user").isNotIn("0", "root");
  }

  /** Dockerfile instructions as {keyword, arguments}, continuations joined, comments dropped. */
  private static List<String[]> instructions(String dockerfile) {
    List<String[]> out = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (String line : dockerfile.split("\n")) {
      String trimmed = line.strip();
      if (trimmed.startsWith("#") || (trimmed.isEmpty() && current.length() == 0)) {
        continue;
      }
      if (trimmed.endsWith("\\")) {
        current.append(trimmed, 0, trimmed.length() - 1).append(' ');
        continue;
      }
      current.append(trimmed);
      String ins = current.toString().strip().replaceAll("\\s+", " ");
      current.setLength(0);
      if (ins.isEmpty()) {
        continue;
      }
      int space = ins.indexOf(' ');
      out.add(new String[] {ins.substring(0, space).toUpperCase(), ins.substring(space + 1)});
    }
    return out;
  }

  private static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }
}
