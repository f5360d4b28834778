package dev.roomcast.example;

import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A Server-Sent Events client for tests on the JDK HttpClient (HTTP/1.1): parses the stream as a
 * browser does (fields, comments, dispatch on a blank line) on a reader thread and queues events.
 * {@link #close()} drops the connection, like a client going away.
 */
final class SseClient implements AutoCloseable {
  static final Duration WAIT = Duration.ofSeconds(10);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  /** One dispatched event: the last id seen (as a browser keeps it) and the data. */
  record Event(String id, String data) {
    JsonNode json() {
      try {
        return JSON.readTree(data);
      } catch (IOException e) {
        throw new AssertionError("not JSON: " + data, e);
      }
    }
  }

  private static final Event END = new Event(null, null);

  final HttpResponse<InputStream> response;
  final List<String> lines = new CopyOnWriteArrayList<>();
  final List<String> comments = new CopyOnWriteArrayList<>();
  private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
  private volatile boolean ended;
  private Thread reader;

  private SseClient(HttpResponse<InputStream> response) {
    this.response = response;
  }

  /** Opens {@code uri} with extra request headers; returns once the response headers arrived. */
  static SseClient open(URI uri, Map<String, String> headers) {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri).header("Accept", "text/event-stream");
    headers.forEach(b::header);
    HttpResponse<InputStream> r;
    try {
      r = HTTP.send(b.GET().build(), HttpResponse.BodyHandlers.ofInputStream());
    } catch (IOException e) {
      throw new AssertionError("GET " + uri + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
    SseClient c = new SseClient(r);
    if (r.statusCode() == 200) {
      c.reader = new Thread(c::read, "sse-client " + uri.getPath());
      c.reader.setDaemon(true);
      c.reader.start();
    }
    return c;
  }

  static SseClient open(URI uri) {
    return open(uri, Map.of());
  }

  int status() {
    return response.statusCode();
  }

  String contentType() {
    return response.headers().firstValue("Content-Type").orElse("");
  }

  /** The whole body of a non-streaming (error) answer. */
  String body() {
    try (InputStream in = response.body()) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  private void read() {
    String lastId = null;
    StringBuilder data = null;
    try (BufferedReader r =
        new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        lines.add(line);
        if (line.isEmpty()) {
          if (data != null) {
            events.add(new Event(lastId, data.toString()));
          }
          data = null;
        } else if (line.startsWith(":")) {
          comments.add(line);
        } else {
          int colon = line.indexOf(':');
          String field = colon < 0 ? line : line.substring(0, colon);
          String value = colon < 0 ? "" : line.substring(colon + 1);
          if (value.startsWith(" ")) {
            value = value.substring(1);
          }
          switch (field) {
            case "id" -> lastId = value;
            case "data" ->
                data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
            default -> {
              // retry, event: recorded in lines
            }
          }
        }
      }
    } catch (IOException e) {
      // closed by us, or the connection dropped
    } finally {
      ended = true;
      events.add(END);
    }
  }

  /** The next event; fails after {@link #WAIT} or when the stream ended. */
  Event next() {
    return next(WAIT);
  }

  Event next(Duration wait) {
    try {
      Event e = events.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
      if (e == null) {
        return fail("no SSE event within " + wait + "; lines so far: " + lines);
      }
      if (e == END) {
        events.add(END);
        return fail("the SSE stream ended; lines: " + lines);
      }
      return e;
    } catch (InterruptedException ex) {
      Thread.currentThread().interrupt();
      throw new AssertionError(ex);
    }
  }

  /** The next event whose JSON has this {@code type}. */
  Event next(String type) {
    while (true) {
      Event e = next();
      if (type.equals(e.json().path("type").asText())) {
        return e;
      }
    }
  }

  /** The next {@code n} room messages. */
  List<Event> messages(int n) {
    List<Event> out = new ArrayList<>();
    while (out.size() < n) {
      out.add(next("message"));
    }
    return out;
  }

  /** Waits until the server ended the stream. */
  boolean awaitEnd(Duration wait) throws InterruptedException {
    long deadline = System.nanoTime() + wait.toNanos();
    while (!ended) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      Thread.sleep(10);
    }
    return true;
  }

  /** Fails if an event arrives within {@code quiet}. */
  void assertNoEventWithin(Duration quiet) throws InterruptedException {
    Event e = events.poll(quiet.toMillis(), TimeUnit.MILLISECONDS);
    if (e != null && e != END) {
      fail("unexpected SSE event: " + e);
    }
  }

  /** Drops the connection (the client goes away). */
  @Override
  public void close() {
    try {
      response.body().close();
    } catch (IOException e) {
      // gone anyway
    }
  }
}
