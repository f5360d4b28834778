package dev.roomcast.redis;

import dev.roomcast.PresenceMember;
import dev.roomcast.spi.BackplaneNode;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * A Redis node kind (one endpoint, shards, Cluster) whose presence is a {@link RedisPresence}: the
 * presence half of the SPI, written once. Thread-safe as its {@link RedisPresence} is.
 */
interface RedisPresenceNode extends BackplaneNode {

  /** Where this node keeps its share of presence. */
  RedisPresence presenceStore();

  @Override
  default boolean supportsPresence() {
    return true;
  }

  @Override
  default void presenceAdd(String room, PresenceMember member) {
    presenceStore().add(room, member);
  }

  @Override
  default void presenceRemove(String room, String clientId) {
    presenceStore().remove(room, clientId);
  }

  @Override
  default CompletionStage<List<PresenceMember>> presence(String room) {
    return presenceStore().read(room);
  }
}
