package dev.roomcast.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roomcast.jakarta.testkit.RawWebSocket;
import dev.roomcast.spring.boot.autoconfigure.apps.plain.PlainApp;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Closing the application (what SIGTERM does) drains before the web server stops: every WebSocket
 * client gets 1012 while the server still accepts connections, and only then does the port close.
 * Run on each embedded container by a subclass.
 */
abstract class DrainContract {

  /** The web server's class name should contain this ("Tomcat", "Jetty"). */
  abstract String server();

  @Test
  void everyClientGets1012BeforeThePortCloses() throws Exception {
    ConfigurableApplicationContext app =
        TestServers.start(PlainApp.class, "roomcast.drain.time=300ms");
    int port = TestServers.port(app);
    assertThat(((WebServerApplicationContext) app).getWebServer().getClass().getSimpleName())
        .contains(server());
    List<RawWebSocket> clients = new ArrayList<>();
    ExecutorService readers = Executors.newFixedThreadPool(4);
    try {
      for (int i = 0; i < 4; i++) {
        RawWebSocket ws = RawWebSocket.connect(port, "/ws/drain");
        assertThat(ws.readText()).contains("\"type\":\"system\"");
        clients.add(ws);
      }
      // the endpoint works: one client's message reaches every member
      clients.get(0).sendText("{\"content\":\"before the drain\"}");
      for (RawWebSocket ws : clients) {
        String frame = ws.readText();
        while (!frame.contains("\"type\":\"message\"")) {
          frame = ws.readText(); // join notices of the later clients
        }
        assertThat(frame).contains("before the drain");
      }
      // Each client reads up to the server's close frame, checks that the port still takes a
      // connection, and only then answers the close: the drain waits for those answers, so the
      // check runs while the server is still before its graceful shutdown.
      List<Future<Integer>> codes = new ArrayList<>();
      for (RawWebSocket ws : clients) {
        codes.add(
            readers.submit(
                () -> {
                  RawWebSocket.Frame close = ws.awaitClose();
                  assertThat(close).as("a close frame, not a cut connection").isNotNull();
                  assertThat(accepts(port)).as("port open when 1012 arrived").isTrue();
                  ws.sendFrame(RawWebSocket.CLOSE, closePayload(close.closeCode()));
                  return close.closeCode();
                }));
      }
      CompletableFuture<Void> closed = CompletableFuture.runAsync(app::close);
      for (Future<Integer> code : codes) {
        assertThat(code.get(15, TimeUnit.SECONDS)).isEqualTo(1012);
      }
      closed.get(30, TimeUnit.SECONDS);
      assertThat(accepts(port)).as("port closed after the shutdown").isFalse();
    } finally {
      readers.shutdownNow();
      clients.forEach(RawWebSocket::abort);
      app.close();
    }
  }

  private static byte[] closePayload(int code) {
    return ByteBuffer.allocate(2).putShort((short) code).array();
  }

  private static boolean accepts(int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 2000);
      return true;
    } catch (ConnectException e) {
      return false;
    } catch (IOException e) {
      return false;
    }
  }
}
