package dev.roomcast.cdi;

import dev.roomcast.Hub;

/**
 * A CDI bean of this type adjusts the {@link Hub.Builder} after the {@code roomcast.*} properties
 * were applied and before the hub is built: a clock, a node id, a backplane other than the two the
 * properties name. Every such bean is applied once, at startup, in no defined order, on the thread
 * that first needs the hub.
 */
@FunctionalInterface
public interface HubCustomizer {
  void customize(Hub.Builder builder);
}
