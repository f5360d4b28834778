package dev.roomcast.example;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The {@code roomcast} npm package as someone outside this repository gets it: {@code npm pack} of
 * the package roomcast-js stages ({@code roomcast-js/target/npm}), installed with {@code ws} into a
 * scratch project, whose TypeScript file type-checks against the package's declarations and whose
 * {@code node --test} file chats with, and resumes from, a real example server.
 */
@Tag("slow")
class NpmPackageTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final Path STAGED =
      Path.of(System.getProperty("roomcast.test.npm.dir", "../roomcast-js/target/npm"))
          .toAbsolutePath();
  static final String VERSION = System.getProperty("roomcast.test.version", "0.1.0-SNAPSHOT");

  @Test
  void theTarballInstallsIntoAScratchProjectThatTypeChecksAndTalksToARealServer() throws Exception {
    Path work = NodeTools.install();
    String node = NodeTools.require("node", "apt-get install -y nodejs");
    String npm = NodeTools.require("npm", "apt-get install -y npm");
    assertThat(STAGED.resolve("package.json")).as("the staged npm package").exists();
    JsonNode pkg = JSON.readTree(STAGED.resolve("package.json").toFile());
    assertThat(pkg.path("name").asText()).isEqualTo("roomcast");
    assertThat(pkg.path("version").asText()).as("follows the Maven version").isEqualTo(VERSION);

    Path packs = work.resolve("npm-pack");
    deleteTree(packs);
    Files.createDirectories(packs);
    NodeTools.Output pack =
        NodeTools.run(
            List.of(
                npm,
                "pack",
                STAGED.toString(),
                "--pack-destination",
                packs.toString(),
                "--json",
                "--loglevel=error"),
            Map.of(),
            Duration.ofMinutes(2));
    assertThat(pack.exitCode()).as(pack.text()).isZero();
    JsonNode packed = JSON.readTree(pack.text().substring(pack.text().indexOf('['))).get(0);
    List<String> files = new ArrayList<>();
    packed.path("files").forEach(f -> files.add(f.path("path").asText()));
    assertThat(files)
        .containsExactlyInAnyOrder("package.json", "README.md", "roomcast.js", "roomcast.d.ts");
    Path tarball = packs.resolve(packed.path("filename").asText());
    assertThat(tarball).exists();

    Path scratch = work.resolve("npm-consumer");
    deleteTree(scratch);
    Files.createDirectories(scratch);
    ObjectNode consumer = JSON.createObjectNode();
    consumer.put("name", "roomcast-scratch-consumer").put("private", true).put("type", "module");
    consumer
        .putObject("dependencies")
        .put("roomcast", "file:" + tarball)
        .put(
            "ws",
            JSON.readTree(NodeTools.SOURCE.resolve("package.json").toFile())
                .path("dependencies")
                .path("ws")
                .asText());
    Files.writeString(scratch.resolve("package.json"), consumer.toPrettyString());
    for (String f : List.of("consumer.test.mjs", "consumer.ts", "tsconfig.json")) {
      Files.copy(NodeTools.SOURCE.resolve("npm-consumer").resolve(f), scratch.resolve(f));
    }
    NodeTools.Output install =
        NodeTools.run(
            scratch,
            List.of(
                npm, "install", "--no-audit", "--no-fund", "--prefer-offline", "--loglevel=error"),
            Map.of(),
            Duration.ofMinutes(3));
    assertThat(install.exitCode()).as(install.text()).isZero();
    Path installed = scratch.resolve("node_modules/roomcast");
    assertThat(installed.resolve("roomcast.js")).exists();
    assertThat(installed.resolve("roomcast.d.ts")).exists();

    // strict tsc against the installed declarations; consumer.ts's @ts-expect-error lines make it
    // fail if the types were too loose to catch a wrong event name or a missing room
    NodeTools.Output tsc =
        NodeTools.run(
            scratch,
            List.of(
                node,
                work.resolve("node_modules/typescript/bin/tsc").toString(),
                "-p",
                scratch.resolve("tsconfig.json").toString()),
            Map.of(),
            Duration.ofMinutes(2));
    assertThat(tsc.exitCode()).as("tsc:\n" + tsc.text()).isZero();

    try (TestServer server = TestServer.start()) {
      NodeTools.Output test =
          NodeTools.run(
              scratch,
              List.of(node, "--test", "--test-reporter=tap", "consumer.test.mjs"),
              Map.of("ROOMCAST_URL", "ws://127.0.0.1:" + server.port()),
              Duration.ofMinutes(1));
      assertThat(test.exitCode()).as(test.text()).isZero();
      assertThat(test.lines()).as(test.text()).contains("# pass 2", "# fail 0");
    }
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(root)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
