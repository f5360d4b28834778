package dev.roomcast.example;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import org.glassfish.grizzly.Connection;
import org.glassfish.grizzly.http.io.NIOOutputStream;
import org.glassfish.grizzly.http.server.Response;

/**
 * Writing small HTTP responses: text, JSON, and the page's files from the jar.
 *
 * <p>Never blocks on the peer: a connection whose peer has not read its earlier responses (so
 * Grizzly's write queue for it is full, e.g. a client pipelining requests it never reads) is closed
 * instead of answered, where a blocking write would hold a worker thread. A response that leaves
 * the request's body unread ends the connection once written ({@link LingeringClose}), so the
 * unread bytes are never parsed as a next request nor read to their end.
 */
final class Responses {
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

  private Responses() {}

  static void text(Response response, int status, String body) throws IOException {
    send(response, status, "text/plain; charset=utf-8", body.getBytes(StandardCharsets.UTF_8));
  }

  static void json(Response response, int status, String json) throws IOException {
    send(response, status, "application/json", json.getBytes(StandardCharsets.UTF_8));
  }

  static void send(Response response, int status, String contentType, byte[] body)
      throws IOException {
    Connection<?> connection = response.getRequest().getContext().getConnection();
    EdgeConnection edge = EdgeConnection.of(connection);
    NIOOutputStream nio = response.getNIOOutputStream();
    if (!nio.canWrite()) { // also makes the writes below non-blocking when it says yes
      if (edge != null) {
        edge.edge.counters.unreadResponses.increment();
      }
      connection.terminateSilently();
      return;
    }
    if (!response.getRequest().getNIOInputStream().isFinished()) {
      response.setHeader("Connection", "close");
      if (edge != null) {
        edge.closeAfterResponse = true;
      }
    }
    if (status == 429) {
      response.setStatus(429, "Too Many Requests"); // Grizzly has no phrase for it
    } else {
      response.setStatus(status);
    }
    // One buffer for the whole body, so it goes out in one write: canWrite() above vouches for
    // one write only, and a second flush could block the thread on a peer that does not read.
    response.setBufferSize(body.length + 1024);
    response.setContentType(contentType);
    response.setHeader("Cache-Control", "no-store");
    response.setHeader("X-Content-Type-Options", "nosniff");
    response.setContentLength(body.length);
    OutputStream out = response.getOutputStream();
    out.write(body);
    out.flush();
  }

  /**
   * Serves a file of the chat page from the jar.
   *
   * @param name a file name directly under {@link #STATIC_ROOT}, e.g. {@code chat.js}
   */
  static void resource(Response response, String name) throws IOException {
    byte[] body = CACHE.computeIfAbsent(name, Responses::load);
    if (body.length == 0) {
      text(response, 404, "not found");
      return;
    }
    String ext = name.substring(name.lastIndexOf('.') + 1);
    send(response, 200, TYPES.getOrDefault(ext, "application/octet-stream"), body);
  }

  /**
   * Serves the browser client from the {@code roomcast-js} WebJar, found through its {@code
   * dev/roomcast/js/webjar.properties} (so this code does not know the WebJar's version).
   */
  static void clientModule(Response response) throws IOException {
    byte[] body = CACHE.computeIfAbsent(CLIENT_MODULE_KEY, k -> loadClientModule());
    send(response, 200, TYPES.get("js"), body);
  }

  /** The WebJar's roomcast.js, or an IllegalStateException when the WebJar is missing. */
  static byte[] loadClientModule() {
    ClassLoader cl = Responses.class.getClassLoader();
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
    try (InputStream in = Responses.class.getResourceAsStream(STATIC_ROOT + name)) {
      return in == null ? new byte[0] : in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
