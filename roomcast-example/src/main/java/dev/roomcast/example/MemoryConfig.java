package dev.roomcast.example;

import dev.roomcast.InMemoryBackplane;
import dev.roomcast.OutboxLimits;
import dev.roomcast.grizzly.RoomcastServer;
import java.util.Map;

/**
 * How much of the heap the server may spend on what it holds for clients, read from environment
 * variables (see {@code docs/security.md}). Immutable. The defaults are fractions of the JVM's
 * maximum heap, so they fit whatever container the server runs in; together with the connections
 * themselves they stay well inside it.
 *
 * @param outboxTotalBytes {@code ROOMCAST_OUTBOX_TOTAL_BYTES}: frames queued for all connections
 *     together (each broadcast once), default an eighth of the heap; past it the connections
 *     holding the most are closed with 4000 (resumable)
 * @param inboundTotalBytes {@code ROOMCAST_INBOUND_TOTAL_BYTES}: WebSocket messages and HTTP bodies
 *     received but not yet complete, for all connections together, default a sixteenth of the heap;
 *     past it the connection adding to it is closed with 1013 / answered 503
 * @param historySize {@code ROOMCAST_HISTORY_SIZE}: messages kept per room for resume (in-memory
 *     backplane), default 1000
 * @param historyRoomBytes {@code ROOMCAST_HISTORY_ROOM_BYTES}: history bytes kept per room, default
 *     4 MiB
 * @param historyTotalBytes {@code ROOMCAST_HISTORY_TOTAL_BYTES}: history bytes kept for all rooms,
 *     default a sixteenth of the heap; the oldest messages of any room go first
 */
public record MemoryConfig(
    long outboxTotalBytes,
    long inboundTotalBytes,
    int historySize,
    long historyRoomBytes,
    long historyTotalBytes) {

  /** Every default. */
  public static MemoryConfig defaults() {
    return fromEnv(Map.of());
  }

  /**
   * Reads the memory variables.
   *
   * @throws ConfigException naming the first variable with a bad value
   */
  static MemoryConfig fromEnv(Map<String, String> env) {
    ServerConfig.Env e = new ServerConfig.Env(env);
    long tib = 1L << 40;
    return new MemoryConfig(
        e.longInteger(
            "ROOMCAST_OUTBOX_TOTAL_BYTES", OutboxLimits.defaultMaxTotalBytes(), 65_536, tib),
        e.longInteger(
            "ROOMCAST_INBOUND_TOTAL_BYTES", RoomcastServer.defaultInboundTotalBytes(), 65_536, tib),
        e.integer("ROOMCAST_HISTORY_SIZE", 1000, 1, 1_000_000),
        e.longInteger("ROOMCAST_HISTORY_ROOM_BYTES", 4L << 20, 1024, tib),
        e.longInteger(
            "ROOMCAST_HISTORY_TOTAL_BYTES",
            InMemoryBackplane.defaultHistoryBytesTotal(),
            65_536,
            tib));
  }

  /** For the startup log line. */
  String summary() {
    return "memory: outboxTotal="
        + outboxTotalBytes
        + " inboundTotal="
        + inboundTotalBytes
        + " history="
        + historySize
        + " msgs/"
        + historyRoomBytes
        + " bytes per room, "
        + historyTotalBytes
        + " bytes total";
  }
}
