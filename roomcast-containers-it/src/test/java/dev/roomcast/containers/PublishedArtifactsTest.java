package dev.roomcast.containers;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What gets published for every library module: the jar with an {@code Automatic-Module-Name}, a
 * sources jar and a javadoc jar, and an entry in {@code roomcast-bom}. Reads the modules' {@code
 * target/} after the reactor built them (this module depends on all of them).
 */
@Tag("artifacts")
class PublishedArtifactsTest {
  static final Path ROOT = Path.of(System.getProperty("roomcast.test.root", ".."));
  static final String VERSION = System.getProperty("roomcast.test.version", "0.1.0-SNAPSHOT");

  /** Modules that are not libraries: not in the BOM, not checked as published jars. */
  static final List<String> NOT_LIBRARIES =
      List.of(
          "roomcast-bom",
          "roomcast-example",
          "roomcast-containers-it",
          "roomcast-bench",
          "roomcast-jakarta-ee-sample",
          "roomcast-spring-boot-sample");

  /**
   * Library modules without Java code (a starter is its dependencies; roomcast-js is a WebJar of
   * JavaScript): no classes, and no Java sources or javadoc to check.
   */
  static final List<String> CODELESS = List.of("roomcast-spring-boot-starter", "roomcast-js");

  static List<String> libraryModules() throws IOException {
    List<String> modules = new ArrayList<>();
    Matcher m =
        Pattern.compile("<module>([^<]+)</module>")
            .matcher(Files.readString(ROOT.resolve("pom.xml")));
    while (m.find()) {
      if (!NOT_LIBRARIES.contains(m.group(1))) {
        modules.add(m.group(1));
      }
    }
    return modules;
  }

  @Test
  void everyLibraryModuleIsInTheBom() throws IOException {
    String bom = Files.readString(ROOT.resolve("roomcast-bom/pom.xml"));
    List<String> modules = libraryModules();
    assertThat(modules)
        .contains("roomcast-core", "roomcast-jakarta", "roomcast-redis", "roomcast-cdi");
    for (String module : modules) {
      assertThat(bom)
          .as("roomcast-bom lists " + module)
          .contains("<artifactId>" + module + "</artifactId>");
    }
    Matcher listed = Pattern.compile("<artifactId>(roomcast-[^<]+)</artifactId>").matcher(bom);
    while (listed.find()) {
      if (!listed.group(1).equals("roomcast-bom")) {
        assertThat(modules)
            .as("the BOM's " + listed.group(1) + " is a module")
            .contains(listed.group(1));
      }
    }
  }

  @ParameterizedTest
  @MethodSource("libraryModules")
  void theJarHasAnAutomaticModuleNameAndSourcesAndJavadocJarsExist(String module)
      throws IOException {
    Path target = ROOT.resolve(module).resolve("target");
    Path jar = target.resolve(module + "-" + VERSION + ".jar");
    assertThat(jar).exists();
    try (JarFile j = new JarFile(jar.toFile())) {
      String name = j.getManifest().getMainAttributes().getValue("Automatic-Module-Name");
      assertThat(name)
          .as("Automatic-Module-Name of " + module)
          .isEqualTo("dev.roomcast." + module.substring("roomcast-".length()).replace('-', '.'));
    }
    if (CODELESS.contains(module)) {
      try (JarFile j = new JarFile(jar.toFile())) {
        assertThat(j.stream().map(e -> e.getName()).filter(n -> n.endsWith(".class")))
            .as(module + " has no code")
            .isEmpty();
      }
      return;
    }
    if (!skipped("roomcast.test.sources.skipped")) {
      assertNonEmptyJar(target.resolve(module + "-" + VERSION + "-sources.jar"), ".java");
    }
    if (!skipped("roomcast.test.javadoc.skipped")) {
      assertNonEmptyJar(target.resolve(module + "-" + VERSION + "-javadoc.jar"), ".html");
    }
  }

  @Test
  void theSpringBootStarterBringsTheModulesItPromises() throws IOException {
    String pom = Files.readString(ROOT.resolve("roomcast-spring-boot-starter/pom.xml"));
    for (String module :
        List.of(
            "roomcast-spring-boot-autoconfigure",
            "roomcast-core",
            "roomcast-jakarta",
            "roomcast-micrometer")) {
      assertThat(pom).contains("<artifactId>" + module + "</artifactId>\n    </dependency>");
    }
    // the Redis backplane is the application's choice
    assertThat(pom)
        .contains("<artifactId>roomcast-redis</artifactId>\n      <optional>true</optional>");
    Path autoconfigure =
        ROOT.resolve("roomcast-spring-boot-autoconfigure/target")
            .resolve("roomcast-spring-boot-autoconfigure-" + VERSION + ".jar");
    try (JarFile j = new JarFile(autoconfigure.toFile())) {
      assertThat(
              j.getEntry(
                  "META-INF/spring/org.springframework.boot.autoconfigure.AutoConfiguration.imports"))
          .isNotNull();
      assertThat(j.getEntry("META-INF/spring-configuration-metadata.json")).isNotNull();
    }
  }

  /** Whether the build was told not to make that jar ({@code -Dmaven.source.skip} etc.). */
  private static boolean skipped(String property) {
    // unset, Maven passes the unexpanded "${maven.source.skip}"
    return System.getProperty(property, "").equals("true");
  }

  private static void assertNonEmptyJar(Path jar, String suffix) throws IOException {
    assertThat(jar).exists();
    try (JarFile j = new JarFile(jar.toFile())) {
      assertThat(j.stream().map(e -> e.getName()).filter(n -> n.endsWith(suffix)).count())
          .as(jar.getFileName() + " entries ending in " + suffix)
          .isPositive();
    }
  }
}
