package dev.roomcast.spring.boot.autoconfigure;

import dev.roomcast.Hub;

/**
 * A hook to change the {@link Hub} the auto-configuration builds, after the {@code roomcast.*}
 * properties, the backplane, the {@link dev.roomcast.Authenticator} and the {@link
 * dev.roomcast.RoomAuthorizer} beans were applied: declare beans of this type (ordered with
 * {@code @Order} or {@link org.springframework.core.Ordered}) to set what has no property, e.g. a
 * node id or a clock. To replace the hub altogether, declare your own {@code Hub} bean instead.
 *
 * <pre>{@code
 * @Bean
 * RoomcastHubCustomizer nodeIdFromPod(@Value("${POD_NAME}") String pod) {
 *   return builder -> builder.nodeId(pod.replaceAll("[^a-z0-9]", ""));
 * }
 * }</pre>
 *
 * <p>Called once, on the thread that creates the hub bean.
 */
@FunctionalInterface
public interface RoomcastHubCustomizer {

  /** Changes {@code builder} before the hub is built. */
  void customize(Hub.Builder builder);
}
