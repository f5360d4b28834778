package dev.roomcast.jakarta.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.roomcast.Hub;
import dev.roomcast.jakarta.sse.SseConfig;
import dev.roomcast.jakarta.sse.SseEndpoint;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link RoomcastSseServlet} against scripted Servlet API fakes: refusals with JSON bodies, the
 * stream's framing, {@code isReady()}/{@code onWritePossible} backpressure, and the async context's
 * end. (A test inside a real container is separate.)
 */
class RoomcastSseServletTest {
  Hub hub = Hub.builder().build();
  SseEndpoint sse = SseEndpoint.create(hub, SseConfig.builder().heartbeat(Duration.ZERO).build());
  RoomcastSseServlet servlet = new RoomcastSseServlet(sse);

  @AfterEach
  void close() {
    hub.close();
    sse.close();
  }

  /** A non-blocking output whose readiness the test controls. */
  static final class FakeOutput extends ServletOutputStream {
    final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    volatile boolean ready = true;
    volatile WriteListener listener;
    int flushes;

    @Override
    public synchronized boolean isReady() {
      if (listener == null) {
        throw new IllegalStateException("isReady() outside non-blocking mode");
      }
      return ready;
    }

    @Override
    public void setWriteListener(WriteListener writeListener) {
      listener = writeListener;
    }

    @Override
    public synchronized void write(int b) {
      check();
      bytes.write(b);
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) {
      check();
      bytes.write(b, off, len);
    }

    @Override
    public synchronized void flush() {
      check();
      flushes++;
    }

    private void check() {
      if (listener != null && !ready) {
        throw new IllegalStateException("write while not ready");
      }
    }

    synchronized String text() {
      return bytes.toString(StandardCharsets.UTF_8);
    }

    void becomeReady() throws IOException {
      ready = true;
      listener.onWritePossible();
    }
  }

  /** What the fakes record. */
  static final class Exchange {
    final Map<String, List<String>> requestHeaders = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    final Map<String, String> responseHeaders = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    final FakeOutput out = new FakeOutput();
    final List<AsyncListener> listeners = new ArrayList<>();
    String pathInfo;
    java.security.Principal principal;
    Map<String, String[]> params = Map.of();
    int status = 200;
    String contentType;
    volatile boolean completed;
    long asyncTimeout = -1;
    AsyncContext async;

    HttpServletRequest request() {
      return proxy(
          HttpServletRequest.class,
          (m, args) ->
              switch (m) {
                case "getPathInfo" -> pathInfo;
                case "getHeaderNames" -> Collections.enumeration(requestHeaders.keySet());
                case "getHeaders" ->
                    Collections.enumeration(
                        requestHeaders.getOrDefault((String) args[0], List.of()));
                case "getParameterMap" -> params;
                case "getRemoteAddr" -> "127.0.0.1";
                case "getUserPrincipal" -> principal;
                case "startAsync" -> async = asyncContext();
                default -> throw new UnsupportedOperationException(m);
              });
    }

    HttpServletResponse response() {
      return proxy(
          HttpServletResponse.class,
          (m, args) ->
              switch (m) {
                case "setStatus" -> {
                  status = (Integer) args[0];
                  yield null;
                }
                case "setHeader" -> {
                  responseHeaders.put((String) args[0], (String) args[1]);
                  yield null;
                }
                case "setContentType" -> {
                  contentType = (String) args[0];
                  yield null;
                }
                case "setContentLength" -> null;
                case "getOutputStream" -> out;
                default -> throw new UnsupportedOperationException(m);
              });
    }

    AsyncContext asyncContext() {
      return proxy(
          AsyncContext.class,
          (m, args) ->
              switch (m) {
                case "setTimeout" -> {
                  asyncTimeout = (Long) args[0];
                  yield null;
                }
                case "getRequest", "getResponse" -> null;
                case "addListener" -> {
                  listeners.add((AsyncListener) args[0]);
                  yield null;
                }
                case "complete" -> {
                  completed = true;
                  for (AsyncListener l : listeners) {
                    try {
                      l.onComplete(new AsyncEvent(async));
                    } catch (IOException e) {
                      throw new AssertionError(e);
                    }
                  }
                  yield null;
                }
                default -> throw new UnsupportedOperationException(m);
              });
    }
  }

  interface Answer {
    Object answer(String method, Object[] args);
  }

  @SuppressWarnings("unchecked")
  static <T> T proxy(Class<T> type, Answer answer) {
    return (T)
        Proxy.newProxyInstance(
            type.getClassLoader(),
            new Class<?>[] {type},
            (p, method, args) -> {
              if (method.getDeclaringClass() == Object.class) {
                return switch (method.getName()) {
                  case "hashCode" -> System.identityHashCode(p);
                  case "equals" -> p == args[0];
                  default -> type.getSimpleName();
                };
              }
              return answer.answer(method.getName(), args);
            });
  }

  static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime() < deadline).as(what).isTrue();
      Thread.sleep(5);
    }
  }

  void publish(String room, String content) throws Exception {
    hub.publish(room, content).toCompletableFuture().get(5, TimeUnit.SECONDS);
  }

  @Test
  void refusalsAreAnsweredWithAStatusAndAJsonBodyBeforeAnythingIsStreamed() throws Exception {
    Exchange bad = new Exchange();
    bad.pathInfo = "/.hidden";
    servlet.doGet(bad.request(), bad.response());
    assertThat(bad.status).isEqualTo(400);
    assertThat(bad.contentType).isEqualTo("application/json");
    assertThat(new ObjectMapper().readTree(bad.out.text()).path("error").asText())
        .startsWith("invalid room name");
    assertThat(bad.async).isNull();

    Exchange badId = new Exchange();
    badId.pathInfo = "/lobby";
    badId.requestHeaders.put("Last-Event-ID", List.of("no-offset"));
    servlet.doGet(badId.request(), badId.response());
    assertThat(badId.status).isEqualTo(400);
    assertThat(badId.out.text()).contains("Last-Event-ID");
    assertThat(hub.metrics().connections()).isZero();
  }

  @Test
  void streamsTheRoomAndWaitsForTheContainerWhenItIsNotReady() throws Exception {
    Exchange ex = new Exchange();
    ex.pathInfo = "/lobby";
    servlet.doGet(ex.request(), ex.response());
    assertThat(ex.status).isEqualTo(200);
    assertThat(ex.responseHeaders.get("Content-Type")).startsWith("text/event-stream");
    assertThat(ex.responseHeaders.get("Cache-Control")).isEqualTo("no-cache");
    assertThat(ex.asyncTimeout).isZero();
    await("the welcome", () -> ex.out.text().contains("Welcome to room lobby"));
    assertThat(ex.out.text()).startsWith("retry: 1000\n\nid: ");
    assertThat(hub.roomSize("lobby")).isEqualTo(1);

    publish("lobby", "\"one\"");
    await("the message", () -> ex.out.text().contains("\"content\":\"one\""));
    assertThat(ex.out.text()).containsPattern("id: [0-9a-z]+:1\ndata: \\{\"type\":\"message\"");

    ex.out.ready = false;
    publish("lobby", "\"two\"");
    Thread.sleep(50);
    assertThat(ex.out.text()).doesNotContain("\"two\"");
    ex.out.becomeReady();
    await("the held message", () -> ex.out.text().contains("\"content\":\"two\""));
    assertThat(ex.out.flushes).isGreaterThanOrEqualTo(4);
  }

  @Test
  void theRoomIsThePathInfoAndABarePathIsTheDefaultRoom() throws Exception {
    assertThat(RoomcastSseServlet.roomOf(null)).isEmpty();
    assertThat(RoomcastSseServlet.roomOf("/")).isEmpty();
    assertThat(RoomcastSseServlet.roomOf("/a:b@c")).isEqualTo("a:b@c");
    Exchange ex = new Exchange();
    ex.pathInfo = null;
    ex.params = Map.of("since", new String[] {"0"}, "epoch", new String[] {"zz"});
    servlet.doGet(ex.request(), ex.response());
    await("the welcome", () -> ex.out.text().contains("Welcome to room default"));
    assertThat(ex.out.text()).contains("\"recovered\":false");
  }

  @Test
  void theAsyncContextEndingLeavesTheRoomAndTheHubClosingCompletesIt() throws Exception {
    Exchange gone = new Exchange();
    gone.pathInfo = "/end";
    servlet.doGet(gone.request(), gone.response());
    Exchange stays = new Exchange();
    stays.pathInfo = "/end";
    servlet.doGet(stays.request(), stays.response());
    assertThat(hub.roomSize("end")).isEqualTo(2);

    for (AsyncListener l : gone.listeners) {
      l.onError(new AsyncEvent(gone.async, new IOException("connection reset")));
    }
    assertThat(hub.roomSize("end")).isEqualTo(1);
    assertThat(sse.openStreams()).isEqualTo(1);

    hub.drain(Duration.ZERO).get(5, TimeUnit.SECONDS);
    await("completed by the drain", () -> stays.completed);
    assertThat(sse.openStreams()).isZero();
    assertThat(hub.roomSize("end")).isZero();

    // while draining, a newcomer gets a stream that only says when to come back
    Exchange late = new Exchange();
    late.pathInfo = "/end";
    servlet.doGet(late.request(), late.response());
    assertThat(late.status).isEqualTo(200);
    assertThat(late.responseHeaders.get("Content-Type")).startsWith("text/event-stream");
    assertThat(late.out.text()).isEqualTo("retry: 1000\n\n");
    assertThat(late.async).isNull();
  }

  @Test
  void theContainersAuthenticatedPrincipalReachesTheAuthenticator() throws Exception {
    try (Hub signedInOnly =
            Hub.builder()
                .authenticator(
                    r -> {
                      if (r.principal() == null) {
                        throw new dev.roomcast.AuthenticationException("sign in first");
                      }
                      return new dev.roomcast.Identity(r.principal().getName(), Map.of());
                    })
                .build();
        SseEndpoint endpoint = SseEndpoint.create(signedInOnly, SseConfig.defaults())) {
      RoomcastSseServlet guarded = new RoomcastSseServlet(endpoint);
      Exchange guest = new Exchange();
      guest.pathInfo = "/lobby";
      guarded.doGet(guest.request(), guest.response());
      assertThat(guest.status).isEqualTo(401);

      Exchange alice = new Exchange();
      alice.pathInfo = "/lobby";
      alice.principal = () -> "alice";
      guarded.doGet(alice.request(), alice.response());
      assertThat(alice.status).isEqualTo(200);
      await("the welcome", () -> alice.out.text().contains("Welcome to room lobby"));
    }
  }
}
