package dev.roomcast.sample;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * The last {@value #KEEP} messages of each room, in memory, for {@code GET
 * /api/rooms/{room}/messages}. Thread-safe: each room's list is guarded by itself. With several
 * instances each keeps what was sent through it; the rooms' full history (for resume) is
 * roomcast's, in Redis.
 */
@Component
class MessageStore {
  static final int KEEP = 50;

  private final Map<String, Deque<ChatMessage>> rooms = new ConcurrentHashMap<>();

  void add(String room, ChatMessage message) {
    Deque<ChatMessage> d = rooms.computeIfAbsent(room, r -> new ArrayDeque<>());
    synchronized (d) {
      d.addLast(message);
      while (d.size() > KEEP) {
        d.removeFirst();
      }
    }
  }

  /** Oldest first. */
  List<ChatMessage> last(String room) {
    Deque<ChatMessage> d = rooms.get(room);
    if (d == null) {
      return List.of();
    }
    synchronized (d) {
      return new ArrayList<>(d);
    }
  }
}
