package dev.roomcast.sample;

import dev.roomcast.BackplaneUnavailableException;
import dev.roomcast.JoinRejectedException;
import dev.roomcast.Published;
import dev.roomcast.spring.boot.autoconfigure.RoomcastTemplate;
import java.security.Principal;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.view.RedirectView;

/**
 * The chat's REST side. {@code POST /api/rooms/{room}/messages} with {@code {"text": "..."}} stores
 * the message and publishes it into the room as {@code {"user", "text"}}, with the signed-in user's
 * name (the browser's page sends through here, so names are the server's word, not the client's);
 * empty messages are refused with 400 and reach nobody.
 */
@RestController
class ChatController {
  private final RoomcastTemplate rooms;
  private final MessageStore store;

  ChatController(RoomcastTemplate rooms, MessageStore store) {
    this.rooms = rooms;
    this.store = store;
  }

  record SendRequest(String text) {}

  @PostMapping(path = "/api/rooms/{room}/messages", consumes = MediaType.APPLICATION_JSON_VALUE)
  CompletableFuture<ResponseEntity<Map<String, Object>>> send(
      @PathVariable("room") String room, @RequestBody SendRequest request, Principal principal) {
    String text = request == null || request.text() == null ? "" : request.text().strip();
    if (text.isEmpty()) {
      return CompletableFuture.completedFuture(error(HttpStatus.BAD_REQUEST, "empty message"));
    }
    ChatMessage message = new ChatMessage(principal == null ? "guest" : principal.getName(), text);
    return rooms
        .publish(room, message) // roomcast: serialized with the application's JSON mapper
        .toCompletableFuture()
        .thenApply(
            (Published p) -> {
              store.add(room, message);
              return ResponseEntity.ok(
                  Map.<String, Object>of(
                      "room", p.room(), "offset", p.offset(), "epoch", p.epoch()));
            })
        .exceptionally(ChatController::failed);
  }

  @GetMapping("/api/rooms/{room}/messages")
  List<ChatMessage> recent(@PathVariable("room") String room) {
    return store.last(room);
  }

  /** Who the page is signed in as: {@code {"user": "alice"}}, or {@code {}} for a guest. */
  @GetMapping("/api/me")
  Map<String, String> me(Principal principal) {
    return principal == null ? Map.of() : Map.of("user", principal.getName());
  }

  /** Requires a user (see {@link SecurityConfig}): the browser asks for one, then goes back. */
  @GetMapping("/signin")
  RedirectView signIn() {
    return new RedirectView("/");
  }

  private static ResponseEntity<Map<String, Object>> failed(Throwable t) {
    Throwable e = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
    if (e instanceof JoinRejectedException j) { // an invalid room name
      return error(HttpStatus.valueOf(j.httpStatus()), e.getMessage());
    }
    if (e instanceof IllegalArgumentException) { // content too large
      return error(HttpStatus.BAD_REQUEST, e.getMessage());
    }
    if (e instanceof BackplaneUnavailableException) {
      return error(HttpStatus.SERVICE_UNAVAILABLE, "message not delivered: " + e.getMessage());
    }
    return error(HttpStatus.INTERNAL_SERVER_ERROR, "message not delivered");
  }

  private static ResponseEntity<Map<String, Object>> error(HttpStatus status, String message) {
    return ResponseEntity.status(status).body(Map.of("error", message));
  }
}
