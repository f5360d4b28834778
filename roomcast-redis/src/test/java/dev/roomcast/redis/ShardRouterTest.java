package dev.roomcast.redis;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The room-to-shard mapping: even, stable, and moving few rooms when a shard is added. */
class ShardRouterTest {

  @Test
  void roomsSpreadEvenlyAndGrowingMovesRoomsOnlyToTheNewShard() {
    ShardRouter three = new ShardRouter(3);
    ShardRouter four = new ShardRouter(4);
    int rooms = 30_000;
    int[] perShard = new int[3];
    int moved = 0;
    for (int i = 0; i < rooms; i++) {
      String room = "room-" + i;
      int before = three.shardOf(room);
      int after = four.shardOf(room);
      perShard[before]++;
      if (before != after) {
        moved++;
        assertThat(after).as("a moved room goes to the new shard").isEqualTo(3);
      }
    }
    for (int n : perShard) {
      assertThat(n).isBetween(rooms / 3 - 600, rooms / 3 + 600);
    }
    // a quarter should move to the fourth shard; hash % N would move three quarters
    assertThat(moved).isBetween(rooms / 4 - 600, rooms / 4 + 600);
  }

  @Test
  void theMappingIsFixedForever() {
    // Pinned values: changing the hash would move every deployed room to another shard.
    Map<String, Integer> pinned = new HashMap<>();
    ShardRouter r = new ShardRouter(3);
    for (String room : new String[] {"lobby", "default", "a", "ünï", "room-42"}) {
      pinned.put(room, r.shardOf(room));
    }
    assertThat(pinned).isEqualTo(PINNED);
    assertThat(new ShardRouter(1).shardOf("anything")).isZero();
  }

  private static final Map<String, Integer> PINNED =
      Map.of("a", 1, "default", 2, "lobby", 0, "room-42", 1, "ünï", 2);
}
