package dev.roomcast.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.roomcast.spi.BackplaneListener;
import dev.roomcast.spi.RoomMessage;
import dev.roomcast.spi.RoomNotice;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Configuration is checked eagerly with messages that say what is wrong, never a password. */
class RedisBackplaneConfigTest {

  @Test
  void urlsAreParsedWithTheirParts() {
    RedisEndpoint e = RedisEndpoint.parse("rediss://app:p%40ss+w@cache.internal:6380/3");
    assertThat(e.tls).isTrue();
    assertThat(e.host).isEqualTo("cache.internal");
    assertThat(e.port).isEqualTo(6380);
    assertThat(e.user).isEqualTo("app");
    assertThat(e.password).isEqualTo("p@ss+w");
    assertThat(e.database).isEqualTo(3);
    assertThat(e.toString()).isEqualTo("rediss://app:***@cache.internal:6380/3");

    RedisEndpoint d = RedisEndpoint.parse("redis://localhost");
    assertThat(d.tls).isFalse();
    assertThat(d.port).isEqualTo(6379);
    assertThat(d.user).isNull();
    assertThat(d.password).isNull();
    assertThat(d.database).isZero();

    assertThat(RedisEndpoint.parse("redis://:only@h").password).isEqualTo("only");
    assertThat(RedisEndpoint.parse("redis://only@h").password).isEqualTo("only");
    assertThat(RedisEndpoint.parse("redis://[::1]:7000/").host).isEqualTo("::1");
  }

  @Test
  void badUrlsAreRefusedClearlyWithoutShowingThePassword() {
    assertThatThrownBy(() -> RedisBackplane.fromUrl("http://user:hunter2@h:6379"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("must start with redis:// or rediss://")
        .hasMessageNotContaining("hunter2");
    assertThatThrownBy(() -> RedisBackplane.fromUrl("redis://"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no host");
    assertThatThrownBy(() -> RedisBackplane.fromUrl("redis://h:99999"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("port");
    assertThatThrownBy(() -> RedisBackplane.fromUrl("redis://:hunter2@h/zero"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("database number")
        .hasMessageNotContaining("hunter2");
    assertThatThrownBy(() -> RedisBackplane.fromUrl("redis://h/-1"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(">= 0");
    assertThatThrownBy(() -> RedisBackplane.fromUrl("redis://h?ssl=true"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("query");
    assertThatThrownBy(() -> RedisBackplane.fromUrl("  "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("empty");
    assertThatThrownBy(() -> RedisBackplane.fromUrl("redis://bad host"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void settingsAreCheckedWhenSet() {
    RedisBackplane.Builder b = RedisBackplane.builder();
    assertThatThrownBy(() -> b.historyLength(0)).hasMessageContaining("historyLength");
    assertThatThrownBy(() -> b.historyTtl(Duration.ofMillis(500)))
        .hasMessageContaining("historyTtl must be at least 1 second");
    assertThatThrownBy(() -> b.pingInterval(Duration.ZERO)).hasMessageContaining("pingInterval");
    assertThatThrownBy(() -> b.socketTimeout(Duration.ofSeconds(-1)))
        .hasMessageContaining("socketTimeout");
    assertThatThrownBy(() -> b.connectTimeout(Duration.ofDays(1)))
        .hasMessageContaining("connectTimeout");
    assertThatThrownBy(() -> b.keyPrefix("has space")).hasMessageContaining("keyPrefix");
    assertThatThrownBy(() -> b.keyPrefix("{tag}")).hasMessageContaining("keyPrefix");
    assertThatThrownBy(() -> b.maxQueuedCommands(0)).hasMessageContaining("maxQueuedCommands");
    assertThatThrownBy(() -> b.deliveryProbeMisses(0)).hasMessageContaining("deliveryProbeMisses");
    assertThatThrownBy(() -> b.backoff(null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(b::build)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("Redis URI is required");
    assertThatThrownBy(
            () -> RedisBackplane.builder().uri("redis://h").tlsVerifyHostname(false).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("not rediss://");
    assertThatThrownBy(() -> b.tlsTrustStore(java.nio.file.Path.of("/no/such/store.p12"), null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("tlsTrustStore is not a readable file");
  }

  @Test
  void defaultsAndNames() {
    RedisBackplane bp = RedisBackplane.fromUrl("redis://:pw@h:1/2");
    assertThat(bp.name()).isEqualTo("redis");
    assertThat(bp.keyPrefix()).isEqualTo("roomcast:");
    assertThat(bp.historyLength()).isEqualTo(1000);
    assertThat(bp.historyTtl()).isEqualTo(Duration.ofHours(24));
    assertThat(bp.channelOf("lobby")).isEqualTo("roomcast:{lobby}");
    assertThat(bp.streamKeyOf("lobby")).isEqualTo("roomcast:{lobby}:log");
    assertThat(bp.metaKeyOf("lobby")).isEqualTo("roomcast:{lobby}:meta");
    assertThat(bp.toString()).contains("redis://:***@h:1/2").doesNotContain("pw");
  }

  @Test
  void nodeIdsAreChecked() {
    RedisBackplane bp = RedisBackplane.fromUrl("redis://h");
    BackplaneListener l =
        new BackplaneListener() {
          @Override
          public void onMessage(RoomMessage message) {}

          @Override
          public void onNotice(RoomNotice notice) {}

          @Override
          public void onLost(Throwable cause) {}

          @Override
          public void onRestored() {}
        };
    assertThatThrownBy(() -> bp.attach("bad id\n", l)).hasMessageContaining("nodeId");
    assertThatThrownBy(() -> bp.attach("", l)).hasMessageContaining("nodeId");
  }

  @Test
  void payloadsRoundTrip() {
    Wire w = new Wire("p:");
    assertThat(w.roomOf(w.channel("a:b@c"))).isEqualTo("a:b@c");
    assertThat(w.roomOf(w.controlChannel("n1"))).isNull();
    assertThat(w.roomOf("other:{x}")).isNull();
    RoomNotice n = new RoomNotice("r", RoomNotice.Kind.LEAVE, "we\nird\\", "t\n", "node");
    Wire.Payload p = Wire.parse(Wire.notice(n));
    assertThat(((Wire.NoticePayload) p).toNotice("r")).isEqualTo(n);
    String m = "m\nep\n7\n" + Wire.header("o", "c\\n", "ts") + "\n{\"a\":\"x\\ny\"}";
    Wire.MessagePayload mp = (Wire.MessagePayload) Wire.parse(m);
    assertThat(mp.toMessage("r"))
        .isEqualTo(new RoomMessage("r", "ep", 7, "c\\n", "{\"a\":\"x\\ny\"}", "ts", "o"));
    assertThatThrownBy(() -> Wire.parse("x\n")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Wire.parse("m\nep")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void exactlyOneTopologyIsChosenAndShardsAreChecked() {
    assertThatThrownBy(() -> RedisBackplane.builder().uri("redis://a").shards("redis://b").build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("choose one");
    assertThatThrownBy(() -> RedisBackplane.builder().shards(List.of()))
        .hasMessageContaining("at least one");
    assertThatThrownBy(() -> RedisBackplane.builder().shards("redis://a:1", "redis://:pw@a:1/0"))
        .hasMessageContaining("listed twice")
        .hasMessageNotContaining("pw");
    assertThatThrownBy(() -> RedisBackplane.builder().shards("rediss://a:1", "redis://b:1").build())
        .hasMessageContaining("either every Redis URL is rediss://");
    assertThatThrownBy(
            () ->
                RedisBackplane.builder()
                    .shards("redis://a:1", "redis://b:1")
                    .tlsVerifyHostname(false)
                    .build())
        .hasMessageContaining("TLS settings");
    RedisBackplane ok =
        RedisBackplane.builder()
            .shards("redis://:secret@a:1", "redis://b:2", "redis://c:3")
            .build();
    assertThat(ok.toString()).contains("a:1", "b:2", "c:3").doesNotContain("secret");
    assertThat(ok.shardOf("lobby")).isBetween(0, 2);
    assertThat(RedisBackplane.fromUrl("redis://a").shardOf("lobby")).isZero();
  }

  @Test
  void clusterSeedsAreHostPortsOrUrls() {
    RedisBackplane bp =
        RedisBackplane.builder().cluster("10.0.0.1:7000", "redis://:pw@h2:7001").build();
    assertThat(bp.toString()).contains("10.0.0.1:7000", "h2:7001").doesNotContain("pw");
    assertThatThrownBy(() -> RedisBackplane.builder().cluster("redis://h:7000/1"))
        .hasMessageContaining("only database 0");
    assertThatThrownBy(() -> RedisBackplane.builder().cluster(List.of()))
        .hasMessageContaining("at least one seed");
    assertThatThrownBy(() -> RedisBackplane.builder().cluster("h:1").shards("redis://h:2").build())
        .hasMessageContaining("choose one");
  }
}
