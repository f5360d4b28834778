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
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A backplane inside one JVM: the default for a single instance, and a way to run several hubs in
 * one process (each {@link #attach} is a node).
 *
 * <p>History: each room keeps its last messages, bounded three ways: at most {@code historySize}
 * messages and {@code historyBytesPerRoom} bytes per room, and {@code historyBytesTotal} bytes for
 * all rooms together; whichever bound is reached first drops the oldest messages (across rooms, for
 * the total), and a resume from before the oldest kept message is answered {@code recovered:
 * false}. Bytes are an estimate of the heap a message takes (its strings and the object around
 * them), so the bounds are memory, not payload. Room logs outlive their members (so a lone client
 * can resume after a reconnect) up to {@code maxRooms} logs; past that the oldest logs without
 * subscribers are dropped, and a dropped room starts a new epoch next time, so resuming clients are
 * told {@code recovered: false}.
 *
 * <p>Thread-safe. Offsets are assigned under the room log's lock and delivered to the other nodes
 * under it too, so every node sees a room's messages in offset order. Trimming for the total bound
 * runs after the publish, outside the room's lock, one thread at a time, in batches (down to 90 %
 * of the bound), so its scan over the rooms is paid once per tenth of the bound, not per message.
 *
 * <p>{@link #setReachable} simulates an outage (publishes fail fast, listeners are told) so the
 * hub's failure handling can be exercised without a network.
 */
public final class InMemoryBackplane implements Backplane {
  /** Heap a stored message costs beyond its strings' characters: objects, headers, references. */
  static final int MESSAGE_OVERHEAD_BYTES = 200;

  private final int historySize;
  private final long historyBytesPerRoom;
  private final long historyBytesTotal;
  private final int maxRooms;
  private final ConcurrentHashMap<String, RoomLog> logs = new ConcurrentHashMap<>();
  private final ConcurrentLinkedQueue<String> logOrder = new ConcurrentLinkedQueue<>();
  private final ConcurrentHashMap<String, Set<Node>> subscribers = new ConcurrentHashMap<>();

  /** Per room, every node's members, keyed by node id and client id. */
  private final ConcurrentHashMap<String, ConcurrentHashMap<String, PresenceMember>> presence =
      new ConcurrentHashMap<>();

  private final Set<Node> nodes = new CopyOnWriteArraySet<>();
  private final AtomicLong historyBytes = new AtomicLong();
  private final AtomicLong appendSeq = new AtomicLong();
  private final ReentrantLock trimming = new ReentrantLock();
  private volatile boolean reachable = true;

  private InMemoryBackplane(Builder b) {
    this.historySize = b.historySize;
    this.historyBytesPerRoom = b.historyBytesPerRoom;
    this.historyBytesTotal = b.historyBytesTotal;
    this.maxRooms = b.maxRooms;
  }

  /**
   * The defaults: 1,000 messages and 4 MiB of history per room, at most {@link
   * #defaultHistoryBytesTotal()} for all rooms, logs for up to 10,000 rooms.
   */
  public static InMemoryBackplane create() {
    return builder().build();
  }

  /**
   * @param historySize messages kept per room, at least 1
   * @param maxRooms room logs kept, at least 1
   */
  public static InMemoryBackplane create(int historySize, int maxRooms) {
    return builder().historySize(historySize).maxRooms(maxRooms).build();
  }

  /** A builder starting from the defaults of {@link #create()}. */
  public static Builder builder() {
    return new Builder();
  }

  /** A sixteenth of the JVM's maximum heap, at least 8 MiB (8 MiB with {@code -XX:MaxRAM=512m}). */
  public static long defaultHistoryBytesTotal() {
    return Math.max(8L << 20, Runtime.getRuntime().maxMemory() / 16);
  }

  /**
   * Builds an {@link InMemoryBackplane}. Setters check their arguments at once. Not thread-safe.
   */
  public static final class Builder {
    private int historySize = 1000;
    private long historyBytesPerRoom = 4L << 20;
    private long historyBytesTotal = defaultHistoryBytesTotal();
    private int maxRooms = 10_000;

    private Builder() {}

    /** Messages kept per room, at least 1 (default 1,000). */
    public Builder historySize(int historySize) {
      if (historySize < 1) {
        throw new IllegalArgumentException("historySize must be >= 1, was " + historySize);
      }
      this.historySize = historySize;
      return this;
    }

    /**
     * Bytes of history kept per room, at least 1 (default 4 MiB). The newest message is always
     * kept, however large.
     */
    public Builder historyBytesPerRoom(long bytes) {
      if (bytes < 1) {
        throw new IllegalArgumentException("historyBytesPerRoom must be >= 1, was " + bytes);
      }
      this.historyBytesPerRoom = bytes;
      return this;
    }

    /**
     * Bytes of history kept for all rooms together, at least 1 (default {@link
     * #defaultHistoryBytesTotal()}): past it the oldest messages of any room go first.
     */
    public Builder historyBytesTotal(long bytes) {
      if (bytes < 1) {
        throw new IllegalArgumentException("historyBytesTotal must be >= 1, was " + bytes);
      }
      this.historyBytesTotal = bytes;
      return this;
    }

    /** Room logs kept, at least 1 (default 10,000). */
    public Builder maxRooms(int maxRooms) {
      if (maxRooms < 1) {
        throw new IllegalArgumentException("maxRooms must be >= 1, was " + maxRooms);
      }
      this.maxRooms = maxRooms;
      return this;
    }

    public InMemoryBackplane build() {
      return new InMemoryBackplane(this);
    }
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

  /** Estimated heap bytes of all rooms' history now (for tests and metrics). */
  public long historyBytes() {
    return historyBytes.get();
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
        RoomLog gone = logs.remove(oldest);
        if (gone != null) {
          synchronized (gone) {
            historyBytes.addAndGet(-gone.clear());
          }
        }
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
   *
   * <p>The kept messages are the offsets {@code tail..head}; offset {@code o} sits at index {@code
   * (o - 1) % ring.length}. Before the ring reaches its capacity it has never wrapped, so growing
   * it keeps every index. Beside each message: its estimated size, and its place in the order of
   * appends across all rooms, by which trimming for the total bound finds the oldest.
   */
  private static final class RoomLog {
    private static final int INITIAL = 16;
    final String epoch;
    final int capacity;
    RoomMessage[] ring;
    int[] sizes;
    long[] seqs;
    long head;
    long tail = 1;
    long bytes;

    RoomLog(String epoch, int capacity) {
      this.epoch = epoch;
      this.capacity = capacity;
      int n = Math.min(INITIAL, capacity);
      this.ring = new RoomMessage[n];
      this.sizes = new int[n];
      this.seqs = new long[n];
    }

    /**
     * Appends the message at offset {@code head} (already incremented).
     *
     * @return the bytes dropped to make room in a full ring
     */
    long append(RoomMessage m, int size, long seq) {
      if (head > ring.length && ring.length < capacity) {
        int n = (int) Math.min(capacity, 2L * ring.length);
        ring = Arrays.copyOf(ring, n);
        sizes = Arrays.copyOf(sizes, n);
        seqs = Arrays.copyOf(seqs, n);
      }
      long dropped = 0;
      if (head - tail + 1 > ring.length) {
        dropped = dropOldest(); // its slot is the one the new message takes
      }
      int i = index(head);
      ring[i] = m;
      sizes[i] = size;
      seqs[i] = seq;
      bytes += size;
      return dropped;
    }

    boolean isEmpty() {
      return tail > head;
    }

    /** Drops the oldest kept message; returns its size. Caller checks {@link #isEmpty()}. */
    long dropOldest() {
      int i = index(tail);
      long size = sizes[i];
      ring[i] = null;
      bytes -= size;
      tail++;
      return size;
    }

    /** The append order of the oldest kept message. Caller checks {@link #isEmpty()}. */
    long oldestSeq() {
      return seqs[index(tail)];
    }

    /** Drops everything; returns the bytes freed. */
    long clear() {
      long freed = bytes;
      Arrays.fill(ring, null);
      bytes = 0;
      tail = head + 1;
      return freed;
    }

    RoomMessage at(long offset) {
      return ring[index(offset)];
    }

    long oldest() {
      return tail;
    }

    private int index(long offset) {
      return (int) ((offset - 1) % ring.length);
    }
  }

  /** Estimated heap bytes of a stored message: its strings' characters plus fixed overhead. */
  static int estimatedBytes(RoomMessage m) {
    long chars = heapChars(m.contentJson()) + heapChars(m.clientId()) + heapChars(m.timestamp());
    return (int) Math.min(Integer.MAX_VALUE, MESSAGE_OVERHEAD_BYTES + chars);
  }

  /** A string's character bytes on the heap: one per character if all are Latin-1, else two. */
  private static long heapChars(String s) {
    int n = s.length();
    for (int i = 0; i < n; i++) {
      if (s.charAt(i) > 0xff) {
        return 2L * n;
      }
    }
    return n;
  }

  /**
   * Drops the oldest messages of any room until all history is back under 90 % of the total bound.
   * One thread at a time; the others go on, since one trim serves them all.
   */
  private void trimToTotal() {
    if (historyBytes.get() <= historyBytesTotal || !trimming.tryLock()) {
      return;
    }
    try {
      long target = historyBytesTotal / 10 * 9;
      PriorityQueue<Oldest> queue = new PriorityQueue<>();
      for (RoomLog log : logs.values()) {
        synchronized (log) {
          if (!log.isEmpty()) {
            queue.add(new Oldest(log.oldestSeq(), log));
          }
        }
      }
      while (historyBytes.get() > target && !queue.isEmpty()) {
        Oldest o = queue.poll();
        synchronized (o.log) {
          if (o.log.isEmpty()) {
            continue;
          }
          if (o.log.oldestSeq() != o.seq) {
            queue.add(new Oldest(o.log.oldestSeq(), o.log)); // trimmed meanwhile: look again
            continue;
          }
          historyBytes.addAndGet(-o.log.dropOldest());
          if (!o.log.isEmpty()) {
            queue.add(new Oldest(o.log.oldestSeq(), o.log));
          }
        }
      }
    } finally {
      trimming.unlock();
    }
  }

  /** A room log's oldest message by its append order, for {@link #trimToTotal}. */
  private record Oldest(long seq, RoomLog log) implements Comparable<Oldest> {
    @Override
    public int compareTo(Oldest other) {
      return Long.compare(seq, other.seq);
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
        int size = estimatedBytes(m);
        long freed = log.append(m, size, appendSeq.incrementAndGet());
        while (log.bytes > historyBytesPerRoom && log.tail < log.head) {
          freed += log.dropOldest(); // never the newest: one message larger than the bound stays
        }
        historyBytes.addAndGet(size - freed);
        Set<Node> subs = subscribers.get(draft.room());
        if (subs != null) {
          for (Node n : subs) {
            if (n != this && !n.closed) {
              n.listener.onMessage(m);
            }
          }
        }
      }
      trimToTotal();
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
    public boolean supportsPresence() {
      return true;
    }

    private String presenceKey(String clientId) {
      return nodeId + "\n" + clientId;
    }

    @Override
    public void presenceAdd(String room, PresenceMember member) {
      if (!closed) {
        presence
            .computeIfAbsent(room, r -> new ConcurrentHashMap<>())
            .put(presenceKey(member.clientId()), member);
      }
    }

    @Override
    public void presenceRemove(String room, String clientId) {
      presence.computeIfPresent(
          room,
          (r, members) -> {
            members.remove(presenceKey(clientId));
            return members.isEmpty() ? null : members;
          });
    }

    @Override
    public CompletionStage<List<PresenceMember>> presence(String room) {
      Map<String, PresenceMember> members = presence.getOrDefault(room, new ConcurrentHashMap<>());
      return CompletableFuture.completedFuture(PresenceMember.roster(members.values()));
    }

    @Override
    public void close() {
      closed = true;
      for (String room : List.copyOf(rooms)) {
        unsubscribe(room);
      }
      String prefix = nodeId + "\n";
      presence.forEach(
          (room, members) -> {
            members.keySet().removeIf(k -> k.startsWith(prefix));
            presence.remove(room, Map.of());
          });
      nodes.remove(this);
    }
  }
}
