package dev.roomcast.example;

import dev.roomcast.InMemoryBackplane;
import dev.roomcast.spi.Backplane;

/**
 * BACKPLANE SELECTION: the one place where the example server picks its backplane from
 * configuration. Nothing else in the server knows which backplane runs.
 *
 * <ul>
 *   <li>{@code REDIS_URL} unset: the in-memory backplane (one instance).
 *   <li>{@code REDIS_URL} set: the Redis backplane from {@code roomcast-redis}. Not wired in this
 *       build yet; startup fails with a clear message rather than silently running in-memory.
 * </ul>
 */
final class Backplanes {
  private Backplanes() {}

  /**
   * The backplane the configuration asks for.
   *
   * @throws ConfigException when it cannot be had in this build
   */
  static Backplane create(ServerConfig config) {
    if (config.redisUrl().isPresent()) {
      // TODO(merge with roomcast-redis): build the Redis backplane from config.redisUrl() here.
      throw new ConfigException(
          "REDIS_URL",
          "is set: Redis backplane not available in this build"
              + " (roomcast-redis is not wired into the example server yet);"
              + " unset REDIS_URL to run one instance with the in-memory backplane");
    }
    return InMemoryBackplane.create();
  }
}
