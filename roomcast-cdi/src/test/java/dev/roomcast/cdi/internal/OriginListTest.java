package dev.roomcast.cdi.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.roomcast.cdi.RoomcastConfigurationException;
import org.junit.jupiter.api.Test;

class OriginListTest {
  @Test
  void unsetOrAStarAllowsEveryOrigin() {
    assertThat(OriginList.parse("p", null).allowsAny()).isTrue();
    assertThat(OriginList.parse("p", " , ").allowsAny()).isTrue();
    assertThat(OriginList.parse("p", "https://a.example, *").test("https://evil.example")).isTrue();
  }

  @Test
  void aListAllowsOnlyItsOriginsAndClientsWithoutOne() {
    OriginList list = OriginList.parse("p", "https://Chat.Example.com/, http://localhost:8080");
    assertThat(list.test("https://chat.example.com")).isTrue();
    assertThat(list.test("http://localhost:8080/")).isTrue();
    assertThat(list.test("https://evil.example")).isFalse();
    assertThat(list.test("null")).isFalse();
    assertThat(list.test(null)).as("no Origin header: not a browser").isTrue();
  }

  @Test
  void anEntryThatIsNoOriginIsRefusedNamingTheProperty() {
    assertThatThrownBy(() -> OriginList.parse("roomcast.allowed-origins", "chat.example.com"))
        .isInstanceOf(RoomcastConfigurationException.class)
        .hasMessageStartingWith("roomcast.allowed-origins must be * or a comma-separated list")
        .hasMessageEndingWith("was 'chat.example.com'");
    assertThatThrownBy(() -> OriginList.parse("p", "https://a.example/path"))
        .isInstanceOf(RoomcastConfigurationException.class);
  }
}
