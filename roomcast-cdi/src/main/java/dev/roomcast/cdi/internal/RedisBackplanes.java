package dev.roomcast.cdi.internal;

import dev.roomcast.cdi.RoomcastConfigurationException;
import dev.roomcast.spi.Backplane;

/**
 * The one place that touches roomcast-redis, so that without it on the class path (the dependency
 * is optional) nothing else fails to load: only choosing {@code roomcast.backplane=redis} needs it.
 */
final class RedisBackplanes {
  private static final String CLASS = "dev.roomcast.redis.RedisBackplane";

  private RedisBackplanes() {}

  static Backplane create(String property, String url) {
    try {
      Class.forName(CLASS, false, RedisBackplanes.class.getClassLoader());
    } catch (ClassNotFoundException e) {
      throw new RoomcastConfigurationException(
          "roomcast.backplane",
          "is redis, but roomcast-redis is not on the class path: add dev.roomcast:roomcast-redis"
              + " to the application (WEB-INF/lib)");
    }
    return Redis.create(property, url);
  }

  /** Loaded only once roomcast-redis is known to be there. */
  private static final class Redis {
    static Backplane create(String property, String url) {
      try {
        return dev.roomcast.redis.RedisBackplane.fromUrl(url);
      } catch (IllegalArgumentException e) {
        // the library's message never prints the password
        throw new RoomcastConfigurationException(property, "is not usable: " + e.getMessage());
      }
    }
  }
}
