package dev.roomcast;

/**
 * One client's membership in a room, as returned by {@link Hub#join}. The transport adapter feeds
 * it inbound frames and tells it when the underlying connection closed.
 *
 * <p>Lifecycle: open from {@code join} until {@link #close} or {@link #transportClosed}; after that
 * every method is a harmless no-op. Thread-safe: inbound calls may come from any thread, but a
 * transport should deliver one connection's frames in order (containers do).
 */
public interface Connection {

  /** This connection's client id, unique across instances. */
  String clientId();

  /** The room this connection is a member of. */
  String room();

  /** Whether the connection is still open. */
  boolean isOpen();

  /**
   * Handles one inbound text frame: {@code {"content": <any JSON>}}. Invalid input is answered with
   * an {@code error} frame (the connection stays open); an oversized frame closes with 1009;
   * sustained flooding closes with 1008.
   */
  void receiveText(String text);

  /** Handles an inbound binary frame: refused with close code 1003. */
  void receiveBinary();

  /** The transport reports that the connection is gone (any reason). Idempotent. */
  void transportClosed();

  /** Closes from the server side with a close code from {@link CloseCodes}. Idempotent. */
  void close(int code, String reason);
}
