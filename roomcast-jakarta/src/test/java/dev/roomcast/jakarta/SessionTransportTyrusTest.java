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
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.glassfish.tyrus.container.grizzly.server.GrizzlyServerContainer;
import org.junit.jupiter.api.Test;

/** On Tyrus the transport writes the shared pre-built frame, and clients read it as text. */
class SessionTransportTyrusTest {
  static final CompletableFuture<SessionTransport> OPENED = new CompletableFuture<>();
  static final ScheduledExecutorService SCHEDULER = Executors.newSingleThreadScheduledExecutor();

  public static final class Probe extends Endpoint {
    @Override
    public void onOpen(Session session, EndpointConfig config) {
      OPENED.complete(new SessionTransport(session, SCHEDULER, new SendPaths(null)));
    }
  }

  @Test
  void writesRawFramesOnTyrusAndTheyArriveAsText() throws Exception {
    ServerContainer container = new GrizzlyServerContainer().createContainer(Map.of());
    container.addEndpoint(ServerEndpointConfig.Builder.create(Probe.class, "/probe").build());
    ((org.glassfish.tyrus.spi.ServerContainer) container).start("/", 0);
    int port = ((org.glassfish.tyrus.server.TyrusServerContainer) container).getPort();
    try (WsClient client = WsClient.connect(URI.create("ws://127.0.0.1:" + port + "/probe"))) {
      SessionTransport t = OPENED.get(10, TimeUnit.SECONDS);
      assertThat(t.writesRawFrames()).isTrue();
      String big = "x".repeat(70_000); // 64-bit length form
      for (String text :
          new String[] {"{\"type\":\"system\",\"n\":1}", "{\"big\":\"" + big + "\"}"}) {
        CompletableFuture<Throwable> done = new CompletableFuture<>();
        t.send(OutboundFrame.system(text), done::complete);
        assertThat(done.get(10, TimeUnit.SECONDS)).isNull();
        assertThat(client.next()).isEqualTo(new ObjectMapper().readTree(text));
      }
    } finally {
      ((org.glassfish.tyrus.spi.ServerContainer) container).stop();
      SCHEDULER.shutdownNow();
    }
  }
}
