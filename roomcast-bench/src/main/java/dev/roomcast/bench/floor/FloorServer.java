package dev.roomcast.bench.floor;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The loopback floor of the benchmark table: the least a server must do per delivery, one {@code
 * write()} of one pre-built frame per member, on one selector thread with non-blocking NIO.
 *
 * <p>It speaks just enough of the room protocol for the harness: the upgrade handshake, the {@code
 * system} welcome with {@code client_id}, masked text frames in, {@code {"type":"message",...}} out
 * to every member of the room, ping/pong and close, {@code GET /health}. No join/leave notices (the
 * harness ignores {@code system} frames once welcomed), no history, no rate limits. Memory is still
 * bounded: frames up to 64 KiB in, and a member more than {@link FloorConnection#MAX_PENDING_BYTES}
 * behind is dropped. Not a server to run for users.
 *
 * <p>{@code PORT} (default 18086) and {@code HOST} (default 127.0.0.1) come from the environment.
 */
public final class FloorServer {
  private static final int MAX_HEAD = 8192;
  private static final int MAX_FRAME = 64 * 1024;

  private final Selector selector;
  private final ServerSocketChannel server;
  private final Map<String, List<FloorConnection>> rooms = new HashMap<>();
  private final ByteBuffer readBuffer = ByteBuffer.allocateDirect(128 * 1024);
  private final List<FloorConnection> dropped = new ArrayList<>();
  private long nextId;

  private FloorServer(String host, int port) throws IOException {
    selector = Selector.open();
    server = ServerSocketChannel.open();
    server.bind(new InetSocketAddress(host, port), 4096);
    server.configureBlocking(false);
    server.register(selector, SelectionKey.OP_ACCEPT);
  }

  /** Serves until killed. */
  public static void main(String[] args) throws IOException {
    String host = System.getenv().getOrDefault("HOST", "127.0.0.1");
    int port = Integer.parseInt(System.getenv().getOrDefault("PORT", "18086"));
    FloorServer floor = new FloorServer(host, port);
    System.out.println("floor listening on " + host + ":" + port);
    floor.serve();
  }

  private void serve() throws IOException {
    while (true) {
      selector.select();
      Iterator<SelectionKey> it = selector.selectedKeys().iterator();
      while (it.hasNext()) {
        SelectionKey k = it.next();
        it.remove();
        if (!k.isValid()) {
          continue;
        }
        if (k.isAcceptable()) {
          accept();
          continue;
        }
        FloorConnection c = (FloorConnection) k.attachment();
        if (k.isWritable()) {
          c.flush();
        }
        if (!c.closed() && k.isReadable()) {
          read(c);
        }
        if (c.closed()) {
          leave(c);
        }
      }
    }
  }

  private void accept() throws IOException {
    SocketChannel ch;
    while ((ch = server.accept()) != null) {
      ch.configureBlocking(false);
      ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
      SelectionKey key = ch.register(selector, SelectionKey.OP_READ);
      key.attach(new FloorConnection(ch, key));
    }
  }

  /** Reads what is there, prefixed by any leftover of the previous read, and handles it. */
  private void read(FloorConnection c) {
    readBuffer.clear();
    int n;
    try {
      n = c.channel.read(readBuffer);
    } catch (IOException e) {
      c.close();
      return;
    }
    if (n < 0) {
      c.close();
      return;
    }
    readBuffer.flip();
    ByteBuffer in = readBuffer;
    if (c.leftover != null) {
      ByteBuffer joined = ByteBuffer.allocate(c.leftover.remaining() + readBuffer.remaining());
      in = joined.put(c.leftover).put(readBuffer).flip();
      c.leftover = null;
    }
    if (!c.upgraded()) {
      handshake(c, in);
    }
    if (c.upgraded() && !c.closed()) {
      frames(c, in);
    }
    if (!c.closed() && in.hasRemaining()) {
      // keep only the unread tail; an idle member holds no buffer at all
      c.leftover = ByteBuffer.allocate(in.remaining()).put(in).flip();
    }
  }

  private void handshake(FloorConnection c, ByteBuffer in) {
    int end = headEnd(in);
    if (end < 0) {
      if (in.remaining() > MAX_HEAD) {
        c.close();
      }
      return;
    }
    byte[] head = new byte[end - in.position()];
    in.get(head);
    Handshake h = Handshake.parse(new String(head, StandardCharsets.ISO_8859_1));
    if (h == null) {
      c.close();
      return;
    }
    if (h.webSocketKey() == null) {
      c.sendThenClose(ByteBuffer.wrap(h.plainResponse()));
      return;
    }
    c.clientId = "user-" + (nextId++ % 10_000);
    c.room = h.room();
    c.send(ByteBuffer.wrap(h.switchingProtocols()));
    c.send(WebSocketFrames.frame(WebSocketFrames.TEXT, RoomJson.welcome(c.room, c.clientId)));
    List<FloorConnection> members = rooms.computeIfAbsent(c.room, r -> new ArrayList<>());
    c.slot = members.size();
    members.add(c);
  }

  /** Position just past the blank line ending the request head, or -1. */
  private static int headEnd(ByteBuffer in) {
    for (int i = in.position(); i + 3 < in.limit(); i++) {
      if (in.get(i) == '\r'
          && in.get(i + 1) == '\n'
          && in.get(i + 2) == '\r'
          && in.get(i + 3) == '\n') {
        return i + 4;
      }
    }
    return -1;
  }

  private void frames(FloorConnection c, ByteBuffer in) {
    try {
      WebSocketFrames.Inbound f;
      while (!c.closed() && (f = WebSocketFrames.next(in, MAX_FRAME)) != null) {
        switch (f.opcode()) {
          case WebSocketFrames.TEXT, WebSocketFrames.BINARY, WebSocketFrames.CONTINUATION ->
              message(c, f);
          case WebSocketFrames.PING ->
              c.send(WebSocketFrames.frame(WebSocketFrames.PONG, f.payload()));
          case WebSocketFrames.CLOSE -> c.sendThenClose(WebSocketFrames.close(1000));
          case WebSocketFrames.PONG -> {}
          default -> c.sendThenClose(WebSocketFrames.close(1002));
        }
      }
    } catch (WebSocketFrames.ProtocolError e) {
      c.sendThenClose(WebSocketFrames.close(e.code));
    }
  }

  private void message(FloorConnection c, WebSocketFrames.Inbound f) {
    byte[] text = f.payload();
    if (!f.fin() || c.fragments != null) {
      if (c.fragments == null) {
        c.fragments = new java.io.ByteArrayOutputStream();
      }
      c.fragments.writeBytes(text);
      if (c.fragments.size() > MAX_FRAME) {
        c.sendThenClose(WebSocketFrames.close(1009));
        return;
      }
      if (!f.fin()) {
        return;
      }
      text = c.fragments.toByteArray();
      c.fragments = null;
    }
    byte[] content = RoomJson.content(text);
    if (content != null) {
      broadcast(c, content);
    }
  }

  /** Frames the message once, then one write of that same frame per member. */
  private void broadcast(FloorConnection from, byte[] content) {
    ByteBuffer frame =
        WebSocketFrames.frame(
                WebSocketFrames.TEXT, RoomJson.message(from.clientId, content, from.room))
            .asReadOnlyBuffer();
    List<FloorConnection> members = rooms.get(from.room);
    for (int i = 0; i < members.size(); i++) {
      FloorConnection m = members.get(i);
      if (!m.send(frame)) {
        dropped.add(m);
      }
    }
    for (FloorConnection m : dropped) {
      leave(m);
    }
    dropped.clear();
  }

  /** Removes a closed member from its room (swap with the last, so removal is O(1)). */
  private void leave(FloorConnection c) {
    if (c.slot < 0) {
      return;
    }
    List<FloorConnection> members = rooms.get(c.room);
    FloorConnection last = members.remove(members.size() - 1);
    if (last != c) {
      members.set(c.slot, last);
      last.slot = c.slot;
    }
    c.slot = -1;
    if (members.isEmpty()) {
      rooms.remove(c.room);
    }
  }
}
