package dev.roomcast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.roomcast.testing.RecordingTransport;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HubAuthTest {

  private static HandshakeRequest handshake(String room, String bearer) {
    return HandshakeRequest.of(
        room,
        bearer == null ? Map.of() : Map.of("authorization", List.of("Bearer " + bearer)),
        Map.of(),
        "127.0.0.1");
  }

  /** Tokens "alice" and "bob"; alice may publish in "ops", bob may only read it. */
  private static Hub securedHub() {
    Authenticator tokens =
        req -> {
          String t = req.bearerToken();
          if (t == null || !(t.equals("alice") || t.equals("bob"))) {
            throw new AuthenticationException("missing or invalid token");
          }
          return new Identity(t, Map.of());
        };
    RoomAuthorizer rules =
        (who, room, action) ->
            !room.equals("ops")
                || who.subject().equals("alice")
                || action == RoomAuthorizer.Action.JOIN;
    return Hub.builder().authenticator(tokens).authorizer(rules).build();
  }

  @Test
  void openByDefault() {
    try (Hub hub = Hub.builder().build()) {
      Identity id = hub.authenticate(handshake("any", null));
      assertThat(id).isEqualTo(Identity.anonymous());
      hub.join(JoinRequest.to("any").as(id), new RecordingTransport());
    }
  }

  @Test
  void authenticatorRefusalsAre401AndBrokenAuthenticatorsDenyWithoutLeaking() {
    try (Hub hub = securedHub()) {
      assertThatThrownBy(() -> hub.authenticate(handshake("ops", null)))
          .isInstanceOfSatisfying(
              AuthenticationException.class,
              e -> {
                assertThat(e.httpStatus()).isEqualTo(401);
                assertThat(e.closeCode()).isEqualTo(CloseCodes.POLICY_VIOLATION);
              });
      assertThat(hub.authenticate(handshake("ops", "bob")).subject()).isEqualTo("bob");
    }
    Authenticator broken =
        req -> {
          throw new IllegalStateException("db down at jdbc:secret@host");
        };
    try (Hub hub = Hub.builder().authenticator(broken).build()) {
      assertThatThrownBy(() -> hub.authenticate(handshake("x", null)))
          .isInstanceOf(AuthenticationException.class)
          .hasMessage("authentication failed");
    }
  }

  @Test
  void authorizerGuardsJoinAndEveryPublishOnEveryPath() throws Exception {
    RoomAuthorizer noJoinSecret =
        (who, room, action) -> !(room.equals("secret") && action == RoomAuthorizer.Action.JOIN);
    try (Hub hub = Hub.builder().authorizer(noJoinSecret).build()) {
      assertThatThrownBy(() -> hub.join(JoinRequest.to("secret"), new RecordingTransport()))
          .isInstanceOfSatisfying(
              AccessDeniedException.class, e -> assertThat(e.httpStatus()).isEqualTo(403));
      assertThat(hub.roomCount()).isZero();
      assertThat(hub.metrics().connections()).isZero();
    }
    try (Hub hub = securedHub()) {
      Identity alice = hub.authenticate(handshake("ops", "alice"));
      Identity bob = hub.authenticate(handshake("ops", "bob"));
      RecordingTransport ta = new RecordingTransport();
      RecordingTransport tb = new RecordingTransport();
      Connection a = hub.join(JoinRequest.to("ops").as(alice), ta);
      Connection b = hub.join(JoinRequest.to("ops").as(bob), tb);
      b.receiveText("{\"content\":\"from bob\"}");
      a.receiveText("{\"content\":\"from alice\"}");
      assertThat(tb.ofType("error").get(0).get("message").asText())
          .isEqualTo("not allowed to publish in this room");
      assertThat(tb.ofType("message"))
          .extracting(n -> n.get("content").asText())
          .containsExactly("from alice");
      assertThat(b.isOpen()).isTrue();
      assertThatThrownBy(() -> hub.publishAs(bob, "ops", "1", "bob").toCompletableFuture().get())
          .hasCauseInstanceOf(AccessDeniedException.class);
      assertThat(hub.publishAs(alice, "ops", "2", "alice").toCompletableFuture().get().offset())
          .isEqualTo(2);
    }
  }

  @Test
  void handshakeHelpers() {
    HandshakeRequest r =
        HandshakeRequest.of(
            "r",
            Map.of("Authorization", List.of("bearer abc"), "Origin", List.of("https://x")),
            Map.of("token", List.of("t1", "t2")),
            null);
    assertThat(r.bearerToken()).isEqualTo("abc");
    assertThat(r.header("origin")).isEqualTo("https://x");
    assertThat(r.queryParam("token")).isEqualTo("t1");
    assertThat(r.queryParam("none")).isNull();
  }

  @Test
  void anAuthenticatorMayRefuseWith403AndTransportsMayAskTheAuthorizerEarly() {
    Authenticator originCheck =
        req -> {
          if ("https://evil.example".equals(req.header("Origin"))) {
            throw new AccessDeniedException("origin not allowed");
          }
          return Identity.anonymous();
        };
    RoomAuthorizer onlyLobby = (who, room, action) -> room.equals("lobby");
    try (Hub hub = Hub.builder().authenticator(originCheck).authorizer(onlyLobby).build()) {
      HandshakeRequest foreign =
          HandshakeRequest.of(
              "lobby", Map.of("Origin", List.of("https://evil.example")), Map.of(), null);
      assertThatThrownBy(() -> hub.authenticate(foreign))
          .isInstanceOfSatisfying(
              AccessDeniedException.class, e -> assertThat(e.httpStatus()).isEqualTo(403))
          .hasMessage("origin not allowed");
      assertThat(hub.metrics().connectionsRejected()).isEqualTo(1);
      Identity anon = hub.authenticate(handshake("lobby", null));
      assertThat(hub.allows(anon, "lobby", RoomAuthorizer.Action.JOIN)).isTrue();
      assertThat(hub.allows(anon, "ops", RoomAuthorizer.Action.PUBLISH)).isFalse();
    }
  }
}
