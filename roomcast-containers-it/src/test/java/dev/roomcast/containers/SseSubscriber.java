package dev.roomcast.containers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A Server-Sent Events subscriber on the JDK's HTTP client: queues the {@code data:} of every event
 * as JSON. Waits are bounded and fail the test.
 */
final class SseSubscriber implements AutoCloseable {
  static final Duration WAIT = Duration.ofSeconds(10);
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final ObjectMapper JSON = new ObjectMapper();

  private final BlockingQueue<String> data = new LinkedBlockingQueue<>();
  private final CompletableFuture<HttpResponse<Stream<String>>> response;

  private SseSubscriber(URI uri) {
    this.response =
        HTTP.sendAsync(
            HttpRequest.newBuilder(uri).header("Accept", "text/event-stream").GET().build(),
            HttpResponse.BodyHandlers.ofLines());
    response.thenAcceptAsync(
        r ->
            r.body()
                .filter(line -> line.startsWith("data:"))
                .forEach(line -> data.add(line.substring(5).trim())));
  }

  static SseSubscriber open(URI uri) {
    return new SseSubscriber(uri);
  }

  /** The next event's data; fails after {@link #WAIT}. */
  JsonNode next() {
    try {
      String d = data.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
      if (d == null) {
        throw new AssertionError("no Server-Sent Event within " + WAIT);
      }
      return JSON.readTree(d);
    } catch (InterruptedException | IOException e) {
      throw new AssertionError(e);
    }
  }

  /** The next event whose {@code type} is {@code type}, dropping others. */
  JsonNode next(String type) {
    while (true) {
      JsonNode n = next();
      if (type.equals(n.path("type").asText())) {
        return n;
      }
    }
  }

  @Override
  public void close() {
    response.thenAccept(r -> r.body().close());
    response.cancel(true);
  }
}
