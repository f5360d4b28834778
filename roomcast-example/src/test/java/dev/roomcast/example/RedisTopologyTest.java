package dev.roomcast.example;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.roomcast.Hub;
import dev.roomcast.redis.RedisBackplane;
import dev.roomcast.redis.RedisServer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** REDIS_CLUSTER_NODES and REDIS_SHARDS choose the backplane's Redis topology. */
class RedisTopologyTest {

  @Test
  void noVariableMeansNoTopologyAndRedisUrlStaysAsItWas() {
    ServerConfig c = ServerConfig.fromEnv(Map.of("REDIS_URL", "redis://h:1"));
    assertThat(c.redisTopology().builder()).isEmpty();
    assertThat(c.redisUrl()).hasValue("redis://h:1");
    assertThat(Backplanes.create(c).toString()).contains("redis://h:1");
  }

  @Test
  void listsAreReadInOrderAndCheckedClearly() {
    ServerConfig c =
        ServerConfig.fromEnv(Map.of("REDIS_SHARDS", " redis://a:1, redis://:pw@b:2 ,redis://c:3"));
    assertThat(c.redisTopology().shards())
        .containsExactly("redis://a:1", "redis://:pw@b:2", "redis://c:3");
    RedisBackplane bp = (RedisBackplane) Backplanes.create(c);
    assertThat(bp.toString()).contains("a:1", "b:2", "c:3").doesNotContain("pw");

    ServerConfig cl =
        ServerConfig.fromEnv(Map.of("REDIS_CLUSTER_NODES", "10.0.0.1:7000,10.0.0.2:7000"));
    assertThat(cl.redisTopology().clusterNodes()).containsExactly("10.0.0.1:7000", "10.0.0.2:7000");
    assertThat(Backplanes.create(cl).toString()).contains("cluster=", "10.0.0.2:7000");

    assertThatThrownBy(
            () ->
                ServerConfig.fromEnv(
                    Map.of("REDIS_URL", "redis://h", "REDIS_SHARDS", "redis://a,redis://b")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("only one of REDIS_URL, REDIS_CLUSTER_NODES and REDIS_SHARDS");
    assertThatThrownBy(() -> ServerConfig.fromEnv(Map.of("REDIS_SHARDS", "redis://a,,redis://b")))
        .hasMessageContaining("REDIS_SHARDS")
        .hasMessageContaining("empty entry");
    assertThatThrownBy(
            () -> Backplanes.create(ServerConfig.fromEnv(Map.of("REDIS_SHARDS", "http://a"))))
        .hasMessageContaining("REDIS_SHARDS")
        .hasMessageContaining("redis://");
  }

  @Test
  void redisShardsReachesThreeRealServers() throws Exception {
    try (RedisServer a = RedisServer.start();
        RedisServer b = RedisServer.start();
        RedisServer c = RedisServer.start()) {
      ServerConfig config =
          ServerConfig.fromEnv(
              Map.of("REDIS_SHARDS", String.join(",", List.of(a.uri(), b.uri(), c.uri()))));
      try (Hub hub = Hub.builder().backplane(Backplanes.create(config)).build()) {
        assertThat(hub.isReady()).isTrue();
        hub.publish("lobby", "1").toCompletableFuture().get(10, TimeUnit.SECONDS);
        int holders = 0;
        for (RedisServer s : List.of(a, b, c)) {
          try (var j = s.client()) {
            holders += j.exists("roomcast:{lobby}:log") ? 1 : 0;
          }
        }
        assertThat(holders).as("the room lives on exactly one shard").isEqualTo(1);
      }
    }
  }
}
