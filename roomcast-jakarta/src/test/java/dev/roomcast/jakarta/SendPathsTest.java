package dev.roomcast.jakarta;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.roomcast.jakarta.testkit.WsClient;
import dev.roomcast.spi.OutboundFrame;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerContainer;
import jakarta.websocket.server.ServerEndpointConfig;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.glassfish.tyrus.container.grizzly.server.GrizzlyServerContainer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Which send path sessions take on a real Tyrus server, and that the slow one is reported: counted
 * per session, logged once at WARNING.
 */
class SendPathsTest {
  static final AtomicReference<SendPaths> PATHS = new AtomicReference<>();
  static final LinkedBlockingQueue<SessionTransport> OPENED = new LinkedBlockingQueue<>();
  static final ScheduledExecutorService SCHEDULER = Executors.newSingleThreadScheduledExecutor();
  static ServerContainer container;
  static int port;

  public static final class Probe extends Endpoint {
    @Override
    public void onOpen(Session session, EndpointConfig config) {
      OPENED.add(new SessionTransport(session, SCHEDULER, PATHS.get()));
    }
  }

  @BeforeAll
  static void start() throws Exception {
    container = new GrizzlyServerContainer().createContainer(Map.of());
    container.addEndpoint(ServerEndpointConfig.Builder.create(Probe.class, "/probe").build());
    ((org.glassfish.tyrus.spi.ServerContainer) container).start("/", 0);
    port = ((org.glassfish.tyrus.server.TyrusServerContainer) container).getPort();
  }

  @AfterAll
  static void stop() {
    ((org.glassfish.tyrus.spi.ServerContainer) container).stop();
    SCHEDULER.shutdownNow();
  }

  @Test
  void withReflectionOffSessionsFallBackToSendTextCountedAndWarnedOnce() throws Exception {
    System.setProperty(SendPaths.TYRUS_RAW_FRAMES_PROPERTY, "false");
    try {
      PATHS.set(new SendPaths(null));
    } finally {
      System.clearProperty(SendPaths.TYRUS_RAW_FRAMES_PROPERTY);
    }
    List<LogRecord> records = new CopyOnWriteArrayList<>();
    Logger log = Logger.getLogger(SendPaths.class.getName());
    Handler capture =
        new Handler() {
          @Override
          public void publish(LogRecord r) {
            records.add(r);
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        };
    log.addHandler(capture);
    // one at a time: Tyrus may run the second onOpen before the first, so a session taken from
    // OPENED belongs to the client connected just before it only when no other is connecting
    try (WsClient a = WsClient.connect(uri())) {
      SessionTransport ta = OPENED.poll(10, TimeUnit.SECONDS);
      SessionTransport tb;
      try (WsClient b = WsClient.connect(uri())) {
        tb = OPENED.poll(10, TimeUnit.SECONDS);
      }
      assertThat(ta.writesRawFrames()).isFalse();
      assertThat(tb.writesRawFrames()).isFalse();
      assertThat(PATHS.get().sendTextSessions()).isEqualTo(2);
      assertThat(PATHS.get().reflectedSessions()).isZero();
      assertThat(records)
          .filteredOn(r -> r.getLevel() == Level.WARNING)
          .singleElement()
          .satisfies(r -> assertThat(r.getMessage()).contains("sendText", "tyrusRawFrames=false"));
      // the slow path still delivers
      sendAndRead(ta, a, "{\"type\":\"system\",\"n\":1}");
    } finally {
      log.removeHandler(capture);
    }
  }

  @Test
  void aConfiguredSinkComesFirstThenTyrusReflection() throws Exception {
    AtomicReference<Session> offered = new AtomicReference<>();
    // a provider that owns no writer: the session falls back to Tyrus' writer by reflection
    PATHS.set(
        new SendPaths(
            (session, done) -> {
              offered.set(session);
              return null;
            }));
    try (WsClient a = WsClient.connect(uri())) {
      SessionTransport t = OPENED.poll(10, TimeUnit.SECONDS);
      assertThat(offered.get()).isNotNull();
      assertThat(t.writesRawFrames()).isTrue();
      assertThat(PATHS.get().reflectedSessions()).isEqualTo(1);
      assertThat(PATHS.get().directSessions()).isZero();
      assertThat(PATHS.get().sendTextSessions()).isZero();
      sendAndRead(t, a, "{\"type\":\"system\",\"n\":2}");
    }
    // a provider that does own one: its sink takes the frames
    List<byte[]> written = new CopyOnWriteArrayList<>();
    PATHS.set(
        new SendPaths(
            (session, done) ->
                frame -> {
                  written.add(frame);
                  done.completed(null);
                }));
    try (WsClient a = WsClient.connect(uri())) {
      SessionTransport t = OPENED.poll(10, TimeUnit.SECONDS);
      assertThat(PATHS.get().directSessions()).isEqualTo(1);
      CompletableFuture<Throwable> done = new CompletableFuture<>();
      OutboundFrame frame = OutboundFrame.system("{\"type\":\"system\",\"n\":3}");
      t.send(frame, done::complete);
      assertThat(done.get(10, TimeUnit.SECONDS)).isNull();
      assertThat(written).containsExactly(frame.webSocketTextFrame());
    }
  }

  private static void sendAndRead(SessionTransport t, WsClient client, String text)
      throws Exception {
    CompletableFuture<Throwable> done = new CompletableFuture<>();
    t.send(OutboundFrame.system(text), done::complete);
    assertThat(done.get(10, TimeUnit.SECONDS)).isNull();
    assertThat(client.next()).isEqualTo(new ObjectMapper().readTree(text));
  }

  private static URI uri() {
    return URI.create("ws://127.0.0.1:" + port + "/probe");
  }
}
