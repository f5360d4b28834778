package dev.roomcast.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roomcast.Identity;
import dev.roomcast.jakarta.testkit.RawWebSocket;
import dev.roomcast.spring.boot.autoconfigure.apps.secured.SecuredApp;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Spring Security in front of the WebSocket endpoint, over real sockets: the filter chain guards
 * the handshake, the authenticated principal becomes the roomcast identity (name and authorities),
 * anonymous access follows the chain, and a {@code RoomAuthorizer} bean decides per room. Run on
 * each embedded container by a subclass.
 */
abstract class SecurityContract {
  static ConfigurableApplicationContext app;

  @BeforeAll
  static void start() {
    app = TestServers.start(SecuredApp.class);
  }

  @AfterAll
  static void stop() {
    app.close();
  }

  /** The web server's class name should contain this ("Tomcat", "Jetty"). */
  abstract String server();

  @Test
  void runsOnTheContainerItIsFor() {
    assertThat(((WebServerApplicationContext) app).getWebServer().getClass().getSimpleName())
        .contains(server());
  }

  static String basic(String user, String password) {
    return "Authorization: Basic "
        + Base64.getEncoder()
            .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8))
        + "\r\n";
  }

  @Test
  void aSignedInUsersPrincipalBecomesTheIdentity() throws Exception {
    try (RawWebSocket ws = RawWebSocket.open(TestServers.port(app), 0)) {
      assertThat(ws.handshake("/ws/lobby", basic("alice", "wonderland")))
          .startsWith("HTTP/1.1 101");
      assertThat(ws.readText()).contains("\"type\":\"system\"");
    }
    Identity alice = SecuredApp.JOINED.get("lobby");
    assertThat(alice.subject()).isEqualTo("alice");
    // Spring Security 7 also grants FACTOR_PASSWORD for the password login
    assertThat(alice.claims().get("authorities"))
        .asInstanceOf(InstanceOfAssertFactories.LIST)
        .contains("ROLE_USER");
  }

  @Test
  void guestsAreAnonymousWhereTheFilterChainPermitsThem() throws Exception {
    try (RawWebSocket ws = RawWebSocket.connect(TestServers.port(app), "/ws/guests")) {
      assertThat(ws.readText()).contains("\"type\":\"system\"");
    }
    assertThat(SecuredApp.JOINED.get("guests")).isEqualTo(Identity.anonymous());
  }

  @Test
  void theFilterChainRefusesAnUnauthenticatedHandshakeWhereItRequiresAUser() throws Exception {
    assertThat(RawWebSocket.handshakeStatus(TestServers.port(app), "/ws/staff"))
        .startsWith("HTTP/1.1 401");
    assertThat(
            RawWebSocket.handshakeStatus(
                TestServers.port(app), "/ws/staff", basic("alice", "nope")))
        .startsWith("HTTP/1.1 401");
    try (RawWebSocket ws = RawWebSocket.open(TestServers.port(app), 0)) {
      assertThat(ws.handshake("/ws/staff", basic("alice", "wonderland")))
          .startsWith("HTTP/1.1 101");
      assertThat(ws.readText()).contains("\"room\":\"staff\"");
    }
  }

  @Test
  void theRoomAuthorizerBeanDecidesWithTheAuthorities() throws Exception {
    try (RawWebSocket ws = RawWebSocket.open(TestServers.port(app), 0)) {
      String status = ws.handshake("/ws/admins", basic("alice", "wonderland"));
      if (status.startsWith("HTTP/1.1 101")) { // containers that cannot refuse at the handshake
        RawWebSocket.Frame close = ws.awaitClose();
        assertThat(close.closeCode()).isEqualTo(1008);
      } else {
        assertThat(status).startsWith("HTTP/1.1 403");
      }
    }
    try (RawWebSocket ws = RawWebSocket.open(TestServers.port(app), 0)) {
      assertThat(ws.handshake("/ws/admins", basic("root", "toor"))).startsWith("HTTP/1.1 101");
      assertThat(ws.readText()).contains("\"room\":\"admins\"");
    }
  }
}
