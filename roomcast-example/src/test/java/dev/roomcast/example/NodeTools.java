package dev.roomcast.example;

import static org.assertj.core.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Node.js for the tests that run the seed's own clients: finds {@code node}/{@code npm} (failing
 * clearly when missing, never skipping), installs {@code src/test/node/package.json} into {@code
 * target/node-tests} once per JVM with {@code npm ci}, and runs scripts there.
 */
final class NodeTools {
  static final Path SOURCE =
      Path.of(System.getProperty("roomcast.test.node.dir", "src/test/node")).toAbsolutePath();
  static final Path WORK =
      Path.of(System.getProperty("roomcast.test.work.dir", "target"), "node-tests")
          .toAbsolutePath();
  static final Path ARTIFACTS =
      Path.of(System.getProperty("roomcast.test.work.dir", "target"), "test-artifacts")
          .toAbsolutePath();

  private static boolean installed;

  private NodeTools() {}

  /** The path of an executable on PATH, or a failed test saying how to install it. */
  static String require(String name, String howToInstall) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      Path p = Path.of(dir, name);
      if (Files.isExecutable(p)) {
        return p.toString();
      }
    }
    return fail(name + " not found on PATH; this test needs it: " + howToInstall);
  }

  /** The Chromium binary (CHROMIUM_PATH or /usr/bin/chromium), or a failed test. */
  static String chromium() {
    String path = System.getenv().getOrDefault("CHROMIUM_PATH", "/usr/bin/chromium");
    if (!Files.isExecutable(Path.of(path))) {
      fail(
          "Chromium not found at "
              + path
              + "; install Debian's package (apt-get install -y chromium) or set CHROMIUM_PATH");
    }
    return path;
  }

  /** Installs the test's npm packages (ws, playwright-core) into {@link #WORK}, once. */
  static synchronized Path install() throws IOException, InterruptedException {
    if (installed) {
      return WORK;
    }
    require("node", "apt-get install -y nodejs npm");
    String npm = require("npm", "apt-get install -y npm");
    Files.createDirectories(WORK);
    Files.createDirectories(ARTIFACTS);
    for (String f : List.of("package.json", "package-lock.json")) {
      Files.copy(SOURCE.resolve(f), WORK.resolve(f), StandardCopyOption.REPLACE_EXISTING);
    }
    Path stamp = WORK.resolve("node_modules/.roomcast-installed");
    String lock = Files.readString(SOURCE.resolve("package-lock.json"));
    if (!Files.exists(stamp) || !Files.readString(stamp).equals(lock)) {
      Output out =
          run(
              List.of(npm, "ci", "--no-audit", "--no-fund", "--loglevel=error"),
              Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1"),
              Duration.ofMinutes(4));
      if (out.exitCode != 0) {
        fail("npm ci in " + WORK + " failed (" + out.exitCode + "):\n" + out.text());
      }
      Files.writeString(stamp, lock);
    }
    installed = true;
    return WORK;
  }

  /** Copies a script from {@code src/test/node} into the work directory, replacing text. */
  static Path copyScript(String name, String targetName, Map<String, String> replacements)
      throws IOException {
    String text = Files.readString(SOURCE.resolve(name));
    for (Map.Entry<String, String> r : replacements.entrySet()) {
      if (!text.contains(r.getKey())) {
        fail(name + " does not contain '" + r.getKey() + "'");
      }
      text = text.replace(r.getKey(), r.getValue());
    }
    Path target = WORK.resolve(targetName);
    Files.writeString(target, text);
    return target;
  }

  /**
   * Copies the browser client ({@code roomcast.js} from the {@code roomcast-js} WebJar, as served
   * at {@code /roomcast.js}) into the work directory as {@code roomcast.mjs}, so Node loads it as
   * the ES module it is.
   */
  static Path copyClientModule() throws IOException {
    Path target = WORK.resolve("roomcast.mjs");
    Files.write(target, StaticFiles.loadClientModule());
    return target;
  }

  /**
   * Copies helper scripts next to the ones that need them. Synchronized: test classes run in
   * parallel copy the same helpers (browser.js), and two concurrent REPLACE_EXISTING copies of one
   * file can fail with FileAlreadyExistsException.
   */
  static synchronized void copyAsIs(String... names) throws IOException {
    for (String n : names) {
      Files.copy(SOURCE.resolve(n), WORK.resolve(n), StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /** A process whose stdout+stderr lines are collected as they come. */
  static final class Running implements AutoCloseable {
    final Process process;
    private final List<String> lines = new ArrayList<>();
    private final Thread reader;

    Running(Process process) {
      this.process = process;
      reader =
          new Thread(
              () -> {
                try (BufferedReader r =
                    new BufferedReader(
                        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                  for (String line = r.readLine(); line != null; line = r.readLine()) {
                    synchronized (lines) {
                      lines.add(line);
                      lines.notifyAll();
                    }
                  }
                } catch (IOException e) {
                  // process gone
                }
              },
              "output-" + process.pid());
      reader.setDaemon(true);
      reader.start();
    }

    /** Waits for a line matching {@code p}; fails with everything seen so far. */
    String await(String what, Predicate<String> p, Duration timeout) throws InterruptedException {
      long deadline = System.nanoTime() + timeout.toNanos();
      synchronized (lines) {
        while (true) {
          for (String l : lines) {
            if (p.test(l)) {
              return l;
            }
          }
          long left = deadline - System.nanoTime();
          if (left <= 0) {
            return fail("no line with " + what + " within " + timeout + "; output:\n" + text());
          }
          TimeUnit.NANOSECONDS.timedWait(lines, left);
        }
      }
    }

    String text() {
      synchronized (lines) {
        return String.join("\n", lines);
      }
    }

    List<String> lines() {
      synchronized (lines) {
        return List.copyOf(lines);
      }
    }

    @Override
    public void close() throws InterruptedException {
      process.destroy();
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    }
  }

  static Running start(List<String> command, Map<String, String> env) throws IOException {
    return start(WORK, command, env);
  }

  static Running start(Path dir, List<String> command, Map<String, String> env) throws IOException {
    ProcessBuilder pb =
        new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
    pb.environment().putAll(env);
    return new Running(pb.start());
  }

  /** The result of a finished process. */
  record Output(int exitCode, List<String> lines) {
    String text() {
      return String.join("\n", lines);
    }
  }

  static Output run(List<String> command, Map<String, String> env, Duration timeout)
      throws IOException, InterruptedException {
    return run(WORK, command, env, timeout);
  }

  /** Runs a command in {@code dir} to its end. */
  static Output run(Path dir, List<String> command, Map<String, String> env, Duration timeout)
      throws IOException, InterruptedException {
    try (Running r = start(dir, command, env)) {
      if (!r.process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        fail(String.join(" ", command) + " did not finish within " + timeout + ":\n" + r.text());
      }
      r.reader.join(5000); // the last lines
      return new Output(r.process.exitValue(), r.lines());
    }
  }
}
