/**
 * Spring Boot auto-configuration for roomcast (Boot 4.0.x, servlet web applications on embedded
 * Tomcat or Jetty). Add {@code roomcast-spring-boot-starter} and the application gets, from
 * properties alone ({@link dev.roomcast.spring.boot.autoconfigure.RoomcastProperties}): a {@link
 * dev.roomcast.Hub} bean, the WebSocket endpoint at {@code /ws/{room}}, Server-Sent Events at
 * {@code /events/{room}}, the opt-in HTTP publish endpoint, the Redis backplane from {@code
 * spring.data.redis.*}, Spring Security principals as identities, Micrometer meters, a health
 * contributor in the readiness group, and a drain (1012, spread out) before the web server stops.
 * Every bean backs off when the application defines its own; {@link
 * dev.roomcast.spring.boot.autoconfigure.RoomcastHubCustomizer} changes the hub in place.
 *
 * <p>Publish from application code with {@link
 * dev.roomcast.spring.boot.autoconfigure.RoomcastTemplate}, which serializes with the application's
 * own JSON mapper. See {@code docs/spring-boot.md}.
 *
 * <p>Classes in {@code .internal} are not API.
 */
package dev.roomcast.spring.boot.autoconfigure;
