package dev.roomcast.cdi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roomcast.HandshakeRequest;
import dev.roomcast.Identity;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PrincipalAuthenticatorTest {
  private final PrincipalAuthenticator authenticator = new PrincipalAuthenticator();
  private final HandshakeRequest request = HandshakeRequest.of("lobby", Map.of(), Map.of(), null);

  @Test
  void theServersPrincipalBecomesTheSubject() {
    Identity id = authenticator.authenticate(request.withPrincipal(() -> "alice"));
    assertThat(id.subject()).isEqualTo("alice");
    assertThat(id.claims()).isEmpty();
  }

  @Test
  void noPrincipalOrANamelessOneIsAnonymous() {
    assertThat(authenticator.authenticate(request)).isEqualTo(Identity.anonymous());
    assertThat(authenticator.authenticate(request.withPrincipal(() -> " ")))
        .isEqualTo(Identity.anonymous());
  }
}
