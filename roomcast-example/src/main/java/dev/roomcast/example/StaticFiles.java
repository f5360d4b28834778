package dev.roomcast.example;

import dev.roomcast.grizzly.HttpResponses;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import org.glassfish.grizzly.http.server.Response;

/** The chat page's files and the browser client, served from the jar and cached once read. */
final class StaticFiles {
  /** Where the chat page's files live on the classpath. */
  static final String STATIC_ROOT = "/dev/roomcast/example/static/";

  private static final Map<String, String> TYPES =
      Map.of(
          "html", "text/html; charset=utf-8",
          "js", "text/javascript; charset=utf-8",
          "css", "text/css; charset=utf-8",
          "svg", "image/svg+xml",
          "ico", "image/x-icon",
          "json", "application/json");

  private static final Map<String, byte[]> CACHE = new ConcurrentHashMap<>();

  /** The cache key of the WebJar's client module: never a file name under STATIC_ROOT. */
  private static final String CLIENT_MODULE_KEY = "/webjar/roomcast.js";

  private StaticFiles() {}

  /**
   * Serves a file of the chat page from the jar.
   *
   * @param name a file name directly under {@link #STATIC_ROOT}, e.g. {@code chat.js}
   */
  static void resource(Response response, String name) throws IOException {
    byte[] body = CACHE.computeIfAbsent(name, StaticFiles::load);
    if (body.length == 0) {
      HttpResponses.text(response, 404, "not found");
      return;
    }
    String ext = name.substring(name.lastIndexOf('.') + 1);
    HttpResponses.send(response, 200, TYPES.getOrDefault(ext, "application/octet-stream"), body);
  }

  /**
   * Serves the browser client from the {@code roomcast-js} WebJar, found through its {@code
   * dev/roomcast/js/webjar.properties} (so this code does not know the WebJar's version).
   */
  static void clientModule(Response response) throws IOException {
    byte[] body = CACHE.computeIfAbsent(CLIENT_MODULE_KEY, k -> loadClientModule());
    HttpResponses.send(response, 200, TYPES.get("js"), body);
  }

  /** The WebJar's roomcast.js, or an IllegalStateException when the WebJar is missing. */
  static byte[] loadClientModule() {
    ClassLoader cl = StaticFiles.class.getClassLoader();
    try (InputStream props = cl.getResourceAsStream("dev/roomcast/js/webjar.properties")) {
      if (props == null) {
        throw new IllegalStateException("the roomcast-js WebJar is not on the class path");
      }
      Properties p = new Properties();
      p.load(props);
      try (InputStream in = cl.getResourceAsStream(p.getProperty("module", ""))) {
        if (in == null) {
          throw new IllegalStateException("roomcast-js has no " + p.getProperty("module"));
        }
        return in.readAllBytes();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static byte[] load(String name) {
    if (!name.matches("[a-z0-9][a-z0-9._-]*")) {
      return new byte[0];
    }
    try (InputStream in = StaticFiles.class.getResourceAsStream(STATIC_ROOT + name)) {
      return in == null ? new byte[0] : in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
