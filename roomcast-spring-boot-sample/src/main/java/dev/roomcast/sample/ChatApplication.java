package dev.roomcast.sample;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A chat service: the chat page at {@code /}, rooms over WebSocket at {@code /ws/{room}} (the
 * roomcast protocol, as the example server speaks it) and Server-Sent Events at {@code
 * /events/{room}}, {@code POST /api/rooms/{room}/messages} to send, readiness at {@code
 * /actuator/health/readiness}. Guests chat anonymously; {@code alice} and {@code bob} can sign in
 * with HTTP Basic and then appear with their names.
 *
 * <pre>
 * java -jar roomcast-spring-boot-sample/target/roomcast-spring-boot-sample.jar
 * # several instances sharing rooms:
 * ROOMCAST_BACKPLANE=redis SPRING_DATA_REDIS_HOST=cache SPRING_DATA_REDIS_PORT=6379 SERVER_PORT=8081 \
 *   java -jar roomcast-spring-boot-sample/target/roomcast-spring-boot-sample.jar
 * </pre>
 *
 * Everything roomcast-specific is the starter on the class path, the permit for {@code /ws/**} and
 * {@code /events/**} in {@link SecurityConfig}, and {@link ChatController}'s use of {@code
 * RoomcastTemplate}.
 */
@SpringBootApplication
public class ChatApplication {
  public static void main(String[] args) {
    SpringApplication.run(ChatApplication.class, args);
  }
}
