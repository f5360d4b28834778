package dev.roomcast;

import dev.roomcast.spi.Backplane;
import dev.roomcast.spi.BackplaneListener;
import dev.roomcast.spi.BackplaneNode;
import dev.roomcast.spi.HistoryPage;
import dev.roomcast.spi.MessageDraft;
import dev.roomcast.spi.RoomMessage;
import dev.roomcast.spi.RoomNotice;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArraySet;

/**
 * A backplane inside one JVM: the default for a single instance, and a way to run several hubs in
 * one process (each {@link #attach} is a node).
 *
 * <p>History: each room keeps its last {@code historySize} messages in a ring buffer. Room logs
 * outlive their members (so a lone client can resume after a reconnect) up to {@code maxRooms}
 * logs; past that the oldest logs without subscribers are dropped, and a dropped room starts a new
 * epoch next time, so resuming clients are told {@code recovered: false}.
 *
 * <p>Thread-safe. Offsets are assigned under the room log's lock and delivered to the other nodes
 * under it too, so every node sees a room's messages in offset order.
 *
 * <p>{@link #setReachable} simulates an outage (publishes fail fast, listeners are told) so the
 * hub's failure handling can be exercised without a network.
 */
public final class InMemoryBackplane implements Backplane {
  private final int historySize;
  private final int maxRooms;
  private final ConcurrentHashMap<String, RoomLog> logs = new ConcurrentHashMap<>();
  private final ConcurrentLinkedQueue<String> logOrder = new ConcurrentLinkedQueue<>();
  private final ConcurrentHashMap<String, Set<Node>> subscribers = new ConcurrentHashMap<>();
  private final Set<Node> nodes = new CopyOnWriteArraySet<>();
  private volatile boolean reachable = true;

  private InMemoryBackplane(int historySize, int maxRooms) {
    if (historySize < 1) {
      throw new IllegalArgumentException("historySize must be >= 1, was " + historySize);
    }
    if (maxRooms < 1) {
      throw new IllegalArgumentException("maxRooms must be >= 1, was " + maxRooms);
    }
    this.historySize = historySize;
    this.maxRooms = maxRooms;
  }

  /** 1,000 messages of history per room, logs for up to 10,000 rooms. */
  public static InMemoryBackplane create() {
    return new InMemoryBackplane(1000, 10_000);
  }

  /**
   * @param historySize messages kept per room, at least 1
   * @param maxRooms room logs kept, at least 1
   */
  public static InMemoryBackplane create(int historySize, int maxRooms) {
    return new InMemoryBackplane(historySize, maxRooms);
  }

  @Override
  public String name() {
    return "in-memory";
  }

  @Override
  public BackplaneNode attach(String nodeId, BackplaneListener listener) {
    Node n = new Node(nodeId, listener);
    nodes.add(n);
    return n;
  }

  /** Room logs currently kept (for tests and metrics). */
  public int retainedRooms() {
    return logs.size();
  }

  /**
   * Simulates losing ({@code false}) or regaining ({@code true}) the backplane: publishes and
   * history reads fail fast while unreachable, and every node's listener is told.
   */
  public void setReachable(boolean reachable) {
    if (this.reachable == reachable) {
      return;
    }
    this.reachable = reachable;
    for (Node n : nodes) {
      if (reachable) {
        n.listener.onRestored();
      } else {
        n.listener.onLost(new BackplaneUnavailableException("in-memory backplane unreachable"));
      }
    }
  }

  private RoomLog log(String room) {
    RoomLog log = logs.get(room);
    if (log != null) {
      return log;
    }
    RoomLog created = new RoomLog(newEpoch(), historySize);
    log = logs.putIfAbsent(room, created);
    if (log == null) {
      logOrder.add(room);
      evictIfNeeded();
      return created;
    }
    return log;
  }

  private void evictIfNeeded() {
    // Second-chance FIFO: a room with subscribers goes to the back of the queue instead.
    int budget = 4;
    while (logs.size() > maxRooms && budget-- > 0) {
      String oldest = logOrder.poll();
      if (oldest == null) {
        return;
      }
      if (subscribers.containsKey(oldest)) {
        logOrder.add(oldest);
      } else {
        logs.remove(oldest);
      }
    }
  }

  private static String newEpoch() {
    // Epochs need to be unique, not secret: 36^10 values.
    java.util.concurrent.ThreadLocalRandom r = java.util.concurrent.ThreadLocalRandom.current();
    StringBuilder sb = new StringBuilder(10);
    for (int i = 0; i < 10; i++) {
      sb.append(Character.forDigit(r.nextInt(36), 36));
    }
    return sb.toString();
  }

  private <T> CompletableFuture<T> unreachable() {
    return CompletableFuture.failedFuture(
        new BackplaneUnavailableException("backplane unreachable"));
  }

  /**
   * A room's history ring and offset counter; guarded by its own monitor. The ring starts small and
   * doubles up to {@code capacity} as messages arrive: most rooms of a chat server hold a handful
   * of messages, and a full-size ring for each would cost kilobytes per room (4 KB per 10-member
   * room was 400 bytes per idle connection).
   */
  private static final class RoomLog {
    private static final int INITIAL = 16;
    final String epoch;
    final int capacity;
    RoomMessage[] ring;
    long head;

    RoomLog(String epoch, int capacity) {
      this.epoch = epoch;
      this.capacity = capacity;
      this.ring = new RoomMessage[Math.min(INITIAL, capacity)];
    }

    /** Appends the message at offset {@code head} (already incremented). */
    void append(RoomMessage m) {
      // Before the ring reaches its capacity it has never wrapped: offset o sits at index o - 1.
      if (head > ring.length && ring.length < capacity) {
        ring = Arrays.copyOf(ring, (int) Math.min(capacity, 2L * ring.length));
      }
      ring[(int) ((head - 1) % ring.length)] = m;
    }

    RoomMessage at(long offset) {
      return ring[(int) ((offset - 1) % ring.length)];
    }

    long oldest() {
      return Math.max(1, head - ring.length + 1);
    }
  }

  private final class Node implements BackplaneNode {
    final String nodeId;
    final BackplaneListener listener;
    final Set<String> rooms = ConcurrentHashMap.newKeySet();
    volatile boolean closed;

    Node(String nodeId, BackplaneListener listener) {
      this.nodeId = nodeId;
      this.listener = listener;
    }

    @Override
    public void subscribe(String room) {
      if (rooms.add(room)) {
        subscribers.computeIfAbsent(room, r -> new CopyOnWriteArraySet<>()).add(this);
      }
    }

    @Override
    public void unsubscribe(String room) {
      if (rooms.remove(room)) {
        subscribers.computeIfPresent(
            room,
            (r, set) -> {
              set.remove(this);
              return set.isEmpty() ? null : set;
            });
      }
    }

    @Override
    public CompletionStage<RoomMessage> publish(MessageDraft draft) {
      if (!reachable || closed) {
        return unreachable();
      }
      RoomLog log = log(draft.room());
      RoomMessage m;
      synchronized (log) {
        long offset = ++log.head;
        m = draft.at(log.epoch, offset);
        log.append(m);
        Set<Node> subs = subscribers.get(draft.room());
        if (subs != null) {
          for (Node n : subs) {
            if (n != this && !n.closed) {
              n.listener.onMessage(m);
            }
          }
        }
      }
      return CompletableFuture.completedFuture(m);
    }

    @Override
    public void publishNotice(RoomNotice notice) {
      if (!reachable || closed) {
        return;
      }
      Set<Node> subs = subscribers.get(notice.room());
      if (subs != null) {
        for (Node n : subs) {
          if (n != this && !n.closed) {
            n.listener.onNotice(notice);
          }
        }
      }
    }

    @Override
    public CompletionStage<HistoryPage> readHistory(
        String room, String epoch, long afterOffset, int limit) {
      if (!reachable || closed) {
        return unreachable();
      }
      RoomLog log = log(room);
      synchronized (log) {
        if ((epoch != null && !epoch.equals(log.epoch))
            || afterOffset > log.head
            || afterOffset + 1 < log.oldest()) {
          return CompletableFuture.completedFuture(HistoryPage.notRecoverable(log.epoch, log.head));
        }
        long end = Math.min(log.head, afterOffset + Math.max(1, limit));
        List<RoomMessage> out = new ArrayList<>((int) (end - afterOffset));
        for (long o = afterOffset + 1; o <= end; o++) {
          out.add(log.at(o));
        }
        return CompletableFuture.completedFuture(new HistoryPage(log.epoch, log.head, out, true));
      }
    }

    @Override
    public CompletionStage<StreamPosition> position(String room) {
      if (!reachable || closed) {
        return unreachable();
      }
      RoomLog log = log(room);
      synchronized (log) {
        return CompletableFuture.completedFuture(new StreamPosition(log.epoch, log.head));
      }
    }

    @Override
    public boolean isHealthy() {
      return reachable && !closed;
    }

    @Override
    public void close() {
      closed = true;
      for (String room : List.copyOf(rooms)) {
        unsubscribe(room);
      }
      nodes.remove(this);
    }
  }
}
