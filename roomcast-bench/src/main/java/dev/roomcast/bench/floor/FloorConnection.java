package dev.roomcast.bench.floor;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;

/**
 * One socket of the floor, from the request head to close. Only the selector thread touches it.
 *
 * <p>Outbound frames are shared, read-only views of one pre-built broadcast frame: a member that
 * cannot take a whole frame at once keeps a view of what is left (no copy), and is dropped once
 * more than {@link #MAX_PENDING_BYTES} wait for it, so a stalled reader bounds the floor's memory.
 */
final class FloorConnection {
  /** Bytes a member may have waiting before it is dropped. */
  static final long MAX_PENDING_BYTES = 4L << 20;

  final SocketChannel channel;
  final SelectionKey key;

  /** Bytes of an incomplete request head or frame, null while nothing is left over. */
  ByteBuffer leftover;

  /** Fragments of a message not finished yet (FIN unset), null otherwise. */
  java.io.ByteArrayOutputStream fragments;

  String room;
  String clientId;

  /** Index in the room's member list, for O(1) removal. */
  int slot = -1;

  private ArrayDeque<ByteBuffer> pending;
  private long pendingBytes;
  private boolean closeAfterFlush;
  private boolean closed;

  FloorConnection(SocketChannel channel, SelectionKey key) {
    this.channel = channel;
    this.key = key;
  }

  boolean upgraded() {
    return room != null;
  }

  boolean closed() {
    return closed;
  }

  /**
   * Sends {@code frame} (its position..limit; the buffer is not modified): one write now if nothing
   * is queued, the rest queued. Returns false when the member was dropped for being too far behind
   * or its socket failed.
   */
  boolean send(ByteBuffer frame) {
    if (closed) {
      return false;
    }
    ByteBuffer view = frame.duplicate();
    if (pending == null || pending.isEmpty()) {
      try {
        channel.write(view);
      } catch (IOException e) {
        close();
        return false;
      }
      if (!view.hasRemaining()) {
        return true;
      }
    }
    if (pending == null) {
      pending = new ArrayDeque<>(4);
    }
    pending.add(view);
    pendingBytes += view.remaining();
    if (pendingBytes > MAX_PENDING_BYTES) {
      close();
      return false;
    }
    key.interestOps(key.interestOps() | SelectionKey.OP_WRITE);
    return true;
  }

  /** Sends {@code frame}, then closes once it and everything before it is written. */
  void sendThenClose(ByteBuffer frame) {
    closeAfterFlush = true;
    if (send(frame) && (pending == null || pending.isEmpty())) {
      close();
    }
  }

  /** Writes what is queued while the socket takes it; called when the selector says writable. */
  void flush() {
    try {
      while (pending != null && !pending.isEmpty()) {
        ByteBuffer head = pending.peek();
        int n = channel.write(head);
        pendingBytes -= n;
        if (head.hasRemaining()) {
          return;
        }
        pending.poll();
      }
    } catch (IOException e) {
      close();
      return;
    }
    pending = null; // an idle member keeps no queue
    if (closeAfterFlush) {
      close();
    } else if (key.isValid()) {
      key.interestOps(SelectionKey.OP_READ);
    }
  }

  /** Closes the socket; the server removes the member from its room on the next look. */
  void close() {
    if (closed) {
      return;
    }
    closed = true;
    pending = null;
    key.cancel();
    try {
      channel.close();
    } catch (IOException e) {
      // closing anyway
    }
  }
}
