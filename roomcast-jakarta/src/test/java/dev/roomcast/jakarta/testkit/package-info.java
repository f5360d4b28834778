/**
 * WebSocket clients for tests, shared with other modules through roomcast-jakarta's test-jar
 * ({@code <type>test-jar</type>}, {@code <scope>test</scope>}).
 *
 * <ul>
 *   <li>{@link dev.roomcast.jakarta.testkit.WsClient}: a well-behaved client on the JDK's {@code
 *       java.net.http.WebSocket} that queues received frames as JSON;
 *   <li>{@link dev.roomcast.jakarta.testkit.RawWebSocket}: a client on a bare socket that sends and
 *       reads exactly the bytes a test asks for (handshakes by hand, any frame, no automatic
 *       pongs).
 * </ul>
 *
 * <p>They use only the JDK, Jackson (which roomcast-jakarta depends on) and AssertJ, so they can
 * run next to any container (Tyrus, Tomcat, Jetty) without bringing a WebSocket implementation or
 * API of their own onto the class path.
 */
package dev.roomcast.jakarta.testkit;
