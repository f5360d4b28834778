package dev.roomcast.example;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.roomcast.Limits;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The limit and security variables, the origin list, and the rooms-claim patterns. */
class SecurityConfigTest {

  @Test
  void limitsDefaultToCoresAndAreRead() {
    ServerConfig d = ServerConfig.defaults();
    assertThat(d.limits()).isEqualTo(Limits.defaults());
    assertThat(d.security()).isEqualTo(SecurityConfig.open());
    ServerConfig c =
        ServerConfig.fromEnv(
            Map.of(
                "ROOMCAST_MAX_JSON_DEPTH", "8",
                "ROOMCAST_MAX_CONTENT_BYTES", "1000",
                "ROOMCAST_MAX_ROOMS", "12",
                "ROOMCAST_MAX_QUEUED_MESSAGES", "3"));
    assertThat(c.limits().maxJsonDepth()).isEqualTo(8);
    assertThat(c.limits().maxContentBytes()).isEqualTo(1000);
    assertThat(c.limits().maxRooms()).isEqualTo(12);
    assertThat(c.limits().maxQueuedMessages()).isEqualTo(3);
    assertThat(c.summary()).contains("maxRooms=12", "maxJsonDepth=8", "auth=open", "origins=*");
  }

  @Test
  void securityVariablesAreRead() {
    ServerConfig c =
        ServerConfig.fromEnv(
            Map.of(
                "ROOMCAST_JWT_SECRET", Tokens.SECRET,
                "ROOMCAST_JWT_ISSUER", "iss",
                "ROOMCAST_JWT_AUDIENCE", "aud",
                "ROOMCAST_ALLOWED_ORIGINS", " https://a.example ,HTTP://B.example:8080/ ",
                "ROOMCAST_REFUSE_AT_HANDSHAKE", "false"));
    SecurityConfig s = c.security();
    assertThat(s.jwt()).hasValueSatisfying(j -> assertThat(j.issuer()).isEqualTo("iss"));
    assertThat(s.jwt().get().audience()).isEqualTo("aud");
    assertThat(s.allowedOrigins()).containsExactly("https://a.example", "http://b.example:8080");
    assertThat(s.refuseAtHandshake()).isFalse();
    // the secret appears nowhere it could be logged
    assertThat(c.toString()).doesNotContain(Tokens.SECRET);
    assertThat(c.summary()).doesNotContain(Tokens.SECRET).contains("jwt(HS256 iss=iss aud=aud)");
    assertThat(
            ServerConfig.fromEnv(Map.of("ROOMCAST_ALLOWED_ORIGINS", "https://a.example, *"))
                .security()
                .allowedOrigins())
        .isEmpty();
  }

  @ParameterizedTest
  @CsvSource({
    "ROOMCAST_MAX_JSON_DEPTH, 0, between 1 and 1000",
    "ROOMCAST_MAX_JSON_DEPTH, 5000, between 1 and 1000",
    "ROOMCAST_MAX_CONTENT_BYTES, 1, between 2",
    "ROOMCAST_MAX_ROOMS, none, whole number",
    "ROOMCAST_MAX_QUEUED_MESSAGES, 0, between 1",
    "ROOMCAST_JWT_SECRET, too-short-secret, at least 32 bytes",
    "ROOMCAST_JWT_ISSUER, iss, needs ROOMCAST_JWT_SECRET",
    "ROOMCAST_JWT_AUDIENCE, aud, needs ROOMCAST_JWT_SECRET",
    "ROOMCAST_ALLOWED_ORIGINS, chat.example.com, comma-separated list of origins",
    "ROOMCAST_ALLOWED_ORIGINS, https://chat.example.com/path, comma-separated list of origins",
    "ROOMCAST_REFUSE_AT_HANDSHAKE, maybe, true or false",
  })
  void aBadValueNamesItsVariable(String variable, String value, String expected) {
    assertThatThrownBy(() -> ServerConfig.fromEnv(Map.of(variable, value)))
        .isInstanceOfSatisfying(
            ConfigException.class, e -> assertThat(e.variable()).isEqualTo(variable))
        .hasMessageContaining(expected);
  }

  @Test
  void aShortSecretIsNotEchoed() {
    assertThatThrownBy(() -> ServerConfig.fromEnv(Map.of("ROOMCAST_JWT_SECRET", "hunter2-hunter2")))
        .hasMessageNotContaining("hunter2")
        .hasMessageContaining("was 15");
  }

  @Test
  void originPolicy() {
    OriginPolicy any = new OriginPolicy(List.of());
    assertThat(any.test("https://anything.example")).isTrue();
    OriginPolicy p = new OriginPolicy(OriginPolicy.parse("X", "https://chat.example.com"));
    assertThat(p.test(null)).isTrue();
    assertThat(p.test("https://chat.example.com")).isTrue();
    assertThat(p.test("https://CHAT.example.com/")).isTrue();
    assertThat(p.test("http://chat.example.com")).isFalse();
    assertThat(p.test("https://chat.example.com:444")).isFalse();
    assertThat(p.test("null")).isFalse();
    assertThat(p.test("")).isFalse();
  }

  @ParameterizedTest
  @CsvSource({
    "lobby, lobby, true",
    "lobby, lobby2, false",
    "*, anything, true",
    "team-*, team-, true",
    "team-*, team-42, true",
    "team-*, teams, false",
    "*-ops, a-ops, true",
    "*-ops, a-opsx, false",
    "a*b*c, aXXbYYc, true",
    "a*b*c, aXXbYY, false",
    "a.b, axb, false",
  })
  void roomPatterns(String pattern, String room, boolean matches) {
    assertThat(RoomClaimAuthorizer.matches(pattern, room)).isEqualTo(matches);
  }

  @Test
  void roomsClaimShapes() {
    assertThat(RoomClaimAuthorizer.patterns("lobby")).containsExactly("lobby");
    assertThat(RoomClaimAuthorizer.patterns(List.of("a", "b-*"))).containsExactly("a", "b-*");
    assertThatThrownBy(() -> RoomClaimAuthorizer.patterns(List.of("a", 1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> RoomClaimAuthorizer.patterns("a/b"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> RoomClaimAuthorizer.patterns(Map.of("a", 1)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
