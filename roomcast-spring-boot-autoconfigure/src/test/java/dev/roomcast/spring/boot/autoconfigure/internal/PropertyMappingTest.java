package dev.roomcast.spring.boot.autoconfigure.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.roomcast.spring.boot.autoconfigure.InvalidRoomcastPropertyException;
import dev.roomcast.spring.boot.autoconfigure.RoomcastProperties;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The endpoint settings and the Redis URI made from properties, and their errors. */
class PropertyMappingTest {

  static SpringDataRedisSettings redis(
      String url,
      String host,
      Integer port,
      String user,
      String password,
      Integer db,
      Boolean ssl) {
    return new SpringDataRedisSettings(
        url,
        host,
        port,
        user,
        password,
        db,
        null,
        null,
        null,
        ssl == null ? null : new SpringDataRedisSettings.Ssl(ssl, null),
        null,
        null);
  }

  @Test
  void theRedisUriComesFromBootsSettings() {
    assertThat(RedisBackplaneFactory.uri(redis(null, null, null, null, null, null, null)))
        .isEqualTo("redis://localhost:6379/0");
    assertThat(RedisBackplaneFactory.uri(redis(null, "cache", 6380, "app", "p@ss:w rd+/", 3, null)))
        .isEqualTo("redis://app:p%40ss%3Aw%20rd%2B%2F@cache:6380/3");
    assertThat(RedisBackplaneFactory.uri(redis(null, "::1", null, null, "pw", null, true)))
        .isEqualTo("rediss://:pw@[::1]:6379/0");
    // url wins, as in Boot; ssl.enabled makes it TLS
    assertThat(
            RedisBackplaneFactory.uri(
                redis("redis://u:p@h:1/2", "ignored", 9, null, null, null, true)))
        .isEqualTo("rediss://u:p@h:1/2");
  }

  @Test
  void theEncodedPasswordSurvivesRoomcastsUrlParsing() {
    String uri = RedisBackplaneFactory.uri(redis(null, "h", 1, "user", "p@ss:w rd+/%", 0, null));
    // roomcast's own parser must give back the exact password: build a backplane from it
    assertThat(dev.roomcast.redis.RedisBackplane.fromUrl(uri).toString())
        .contains("user:***@h:1/0")
        .doesNotContain("p@ss");
  }

  @Test
  void endpointSettingsAreCheckedWithTheirNames() {
    RoomcastProperties p = new RoomcastProperties();
    p.getWebsocket().setPath("ws");
    assertThatThrownBy(() -> EndpointPropertyMapping.endpointConfig(p))
        .isInstanceOf(InvalidRoomcastPropertyException.class)
        .hasMessageStartingWith("roomcast.websocket.path: ");
    RoomcastProperties q = new RoomcastProperties();
    q.setAllowedOrigins(List.of("https://ok.example", "not an origin"));
    assertThatThrownBy(() -> EndpointPropertyMapping.endpointConfig(q))
        .hasMessageStartingWith("roomcast.allowed-origins: ");
    assertThatThrownBy(() -> PropertyMapping.servletMapping("roomcast.sse.path", "/"))
        .hasMessageStartingWith("roomcast.sse.path: ");
    assertThat(PropertyMapping.servletMapping("roomcast.sse.path", "/events"))
        .isEqualTo("/events/*");
  }

  @Test
  void originsAreComparedAsTheExampleServerDoes() {
    OriginAllowList any = OriginAllowList.of("p", List.of());
    assertThat(any.test("https://evil.example")).isTrue();
    OriginAllowList one = OriginAllowList.of("p", List.of("https://Chat.Example.com/"));
    assertThat(one.test("https://chat.example.com")).isTrue();
    assertThat(one.test("https://evil.example")).isFalse();
    assertThat(one.test(null)).as("non-browser clients").isTrue();
    assertThat(one.test("null")).isFalse();
    assertThat(OriginAllowList.of("p", List.of("https://a.example", "*")).test("https://b.example"))
        .isTrue();
  }
}
