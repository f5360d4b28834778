package dev.roomcast;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.Principal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HandshakeRequestPrincipalTest {
  private static final Principal ALICE = () -> "alice";

  @Test
  void aRequestHasNoPrincipalUntilTheTransportAddsOne() {
    HandshakeRequest plain =
        HandshakeRequest.of("lobby", Map.of("Origin", List.of("https://x")), Map.of(), "10.0.0.1");
    assertThat(plain.principal()).isNull();

    HandshakeRequest signedIn = plain.withPrincipal(ALICE);
    assertThat(signedIn.principal()).isSameAs(ALICE);
    assertThat(signedIn.room()).isEqualTo("lobby");
    assertThat(signedIn.header("origin")).isEqualTo("https://x");
    assertThat(signedIn.remoteAddress()).isEqualTo("10.0.0.1");
    assertThat(signedIn.toString()).contains("principal=alice");
    assertThat(plain.principal()).as("the original is unchanged").isNull();
  }

  @Test
  void anAuthenticatorSeesThePrincipal() {
    Authenticator byPrincipal =
        r ->
            r.principal() == null
                ? Identity.anonymous()
                : new Identity(r.principal().getName(), Map.of());
    try (Hub hub = Hub.builder().authenticator(byPrincipal).build()) {
      HandshakeRequest r = HandshakeRequest.of("lobby", Map.of(), Map.of(), null);
      assertThat(hub.authenticate(r)).isEqualTo(Identity.anonymous());
      assertThat(hub.authenticate(r.withPrincipal(ALICE)).subject()).isEqualTo("alice");
    }
  }
}
