package dev.roomcast.jakarta;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A bare-socket WebSocket client that does only what a test tells it: in particular it never
 * answers pings, like a peer that vanished without closing.
 */
final class RawWebSocket implements AutoCloseable {
  static final int TEXT = 1;
  static final int CLOSE = 8;
  static final int PING = 9;
  static final int PONG = 10;

  /** One received frame. */
  record Frame(int opcode, byte[] payload) {
    String text() {
      return new String(payload, StandardCharsets.UTF_8);
    }

    /** The close code of a close frame. */
    int closeCode() {
      return payload.length >= 2 ? ((payload[0] & 0xff) << 8) | (payload[1] & 0xff) : 1005;
    }
  }

  private final Socket socket;
  private final DataInputStream in;
  private final OutputStream out;
  private final StringBuilder headers = new StringBuilder();

  private RawWebSocket(Socket socket) throws IOException {
    this.socket = socket;
    this.in = new DataInputStream(socket.getInputStream());
    this.out = socket.getOutputStream();
  }

  static RawWebSocket connect(int port, String pathAndQuery) throws IOException {
    return connect(port, pathAndQuery, "");
  }

  /**
   * Opens a WebSocket with extra request headers ({@code "Name: value\r\n"} lines).
   *
   * @throws IOException with the status line when the handshake is refused
   */
  static RawWebSocket connect(int port, String pathAndQuery, String extraHeaders)
      throws IOException {
    Socket s = new Socket("127.0.0.1", port);
    s.setSoTimeout(10_000);
    RawWebSocket ws = new RawWebSocket(s);
    String status = ws.handshake(port, pathAndQuery, extraHeaders);
    if (!status.startsWith("HTTP/1.1 101")) {
      s.close();
      throw new IOException("handshake refused: " + status);
    }
    return ws;
  }

  /** The status line the server answers a WebSocket handshake with, e.g. "HTTP/1.1 401 ...". */
  static String handshakeStatus(int port, String pathAndQuery, String extraHeaders)
      throws IOException {
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(10_000);
      return new RawWebSocket(s).handshake(port, pathAndQuery, extraHeaders);
    }
  }

  static String handshakeStatus(int port, String pathAndQuery) throws IOException {
    return handshakeStatus(port, pathAndQuery, "");
  }

  /** Sends the upgrade request, reads the response head, returns the status line. */
  private String handshake(int port, String pathAndQuery, String extraHeaders) throws IOException {
    byte[] key = new byte[16];
    ThreadLocalRandom.current().nextBytes(key);
    String request =
        "GET "
            + pathAndQuery
            + " HTTP/1.1\r\n"
            + "Host: 127.0.0.1:"
            + port
            + "\r\n"
            + "Upgrade: websocket\r\n"
            + "Connection: Upgrade\r\n"
            + "Sec-WebSocket-Key: "
            + Base64.getEncoder().encodeToString(key)
            + "\r\n"
            + "Sec-WebSocket-Version: 13\r\n"
            + extraHeaders
            + "\r\n";
    out.write(request.getBytes(StandardCharsets.US_ASCII));
    out.flush();
    String status = readLine();
    headers.setLength(0);
    for (String h = readLine(); !h.isEmpty(); h = readLine()) {
      headers.append(h).append('\n');
    }
    return status;
  }

  /** The response headers of the handshake, one per line. */
  String responseHeaders() {
    return headers.toString();
  }

  private String readLine() throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) != -1) {
      if (b == '\n') {
        break;
      }
      if (b != '\r') {
        line.write(b);
      }
    }
    return line.toString(StandardCharsets.US_ASCII);
  }

  /** Reads the next frame (unfragmented frames only; the server sends no fragments). */
  Frame read() throws IOException {
    int b0 = in.readUnsignedByte();
    int b1 = in.readUnsignedByte();
    long len = b1 & 0x7f;
    if (len == 126) {
      len = in.readUnsignedShort();
    } else if (len == 127) {
      len = in.readLong();
    }
    byte[] payload = new byte[Math.toIntExact(len)];
    in.readFully(payload);
    return new Frame(b0 & 0x0f, payload);
  }

  void sendText(String text) throws IOException {
    sendFrame(TEXT, text.getBytes(StandardCharsets.UTF_8));
  }

  void sendFrame(int opcode, byte[] payload) throws IOException {
    ByteArrayOutputStream f = new ByteArrayOutputStream();
    f.write(0x80 | opcode);
    if (payload.length < 126) {
      f.write(0x80 | payload.length);
    } else if (payload.length < 65536) {
      f.write(0x80 | 126);
      f.write(payload.length >>> 8);
      f.write(payload.length & 0xff);
    } else {
      f.write(0x80 | 127);
      for (int i = 7; i >= 0; i--) {
        f.write((int) ((long) payload.length >>> (8 * i)) & 0xff);
      }
    }
    byte[] mask = new byte[4];
    ThreadLocalRandom.current().nextBytes(mask);
    f.write(mask);
    for (int i = 0; i < payload.length; i++) {
      f.write(payload[i] ^ mask[i & 3]);
    }
    out.write(f.toByteArray());
    out.flush();
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
