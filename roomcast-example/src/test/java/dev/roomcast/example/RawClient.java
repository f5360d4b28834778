package dev.roomcast.example;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A WebSocket client on a bare {@link Socket} that writes exactly the bytes a test asks for:
 * handshakes done by hand, masked frames with any opcode, payload or length, invalid UTF-8, frames
 * announced larger than what is sent. Not thread-safe; one test thread drives it.
 */
final class RawClient implements AutoCloseable {
  static final int TEXT = 0x1;
  static final int BINARY = 0x2;
  static final int CLOSE = 0x8;
  static final int PING = 0x9;
  static final int PONG = 0xA;

  /** One frame from the server. */
  record Frame(int opcode, byte[] payload) {
    String text() {
      return new String(payload, StandardCharsets.UTF_8);
    }

    /** The close code of a close frame (1005 when it has none). */
    int closeCode() {
      return payload.length >= 2 ? ((payload[0] & 0xff) << 8) | (payload[1] & 0xff) : 1005;
    }

    String closeReason() {
      return payload.length > 2
          ? new String(payload, 2, payload.length - 2, StandardCharsets.UTF_8)
          : "";
    }
  }

  final Socket socket;
  private final DataInputStream in;
  private final OutputStream out;
  private String status;
  private final StringBuilder headers = new StringBuilder();

  private RawClient(Socket socket) throws IOException {
    this.socket = socket;
    this.in = new DataInputStream(socket.getInputStream());
    this.out = socket.getOutputStream();
  }

  /** A connected socket, nothing sent yet. {@code receiveBuffer} 0 keeps the OS default. */
  static RawClient open(int port, int receiveBuffer) throws IOException {
    Socket s = new Socket();
    if (receiveBuffer > 0) {
      s.setReceiveBufferSize(
          receiveBuffer); // before connect, so the window is small from the start
    }
    s.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
    s.setSoTimeout(10_000);
    return new RawClient(s);
  }

  /** Opens a WebSocket; fails unless the server answers 101. */
  static RawClient connect(int port, String pathAndQuery) throws IOException {
    RawClient c = open(port, 0);
    String status = c.handshake(pathAndQuery, "");
    if (!status.startsWith("HTTP/1.1 101")) {
      c.close();
      throw new IOException("handshake refused: " + status);
    }
    return c;
  }

  /** The status line the server answers this handshake with ("" if it just closed). */
  static String handshakeStatus(int port, String pathAndQuery, String extraHeaders)
      throws IOException {
    try (RawClient c = open(port, 0)) {
      return c.handshake(pathAndQuery, extraHeaders);
    }
  }

  /** Sends a valid upgrade request plus {@code extraHeaders} lines; returns the status line. */
  String handshake(String pathAndQuery, String extraHeaders) throws IOException {
    byte[] key = new byte[16];
    ThreadLocalRandom.current().nextBytes(key);
    return handshakeRaw(
        "GET "
            + pathAndQuery
            + " HTTP/1.1\r\n"
            + "Host: 127.0.0.1\r\n"
            + "Upgrade: websocket\r\n"
            + "Connection: Upgrade\r\n"
            + "Sec-WebSocket-Key: "
            + Base64.getEncoder().encodeToString(key)
            + "\r\n"
            + "Sec-WebSocket-Version: 13\r\n"
            + extraHeaders
            + "\r\n");
  }

  /** Sends {@code request} as is and reads the response head; returns the status line. */
  String handshakeRaw(String request) throws IOException {
    out.write(request.getBytes(StandardCharsets.ISO_8859_1));
    out.flush();
    status = readLine();
    headers.setLength(0);
    for (String h = readLine(); !h.isEmpty(); h = readLine()) {
      headers.append(h).append('\n');
    }
    return status;
  }

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
    return line.toString(StandardCharsets.ISO_8859_1);
  }

  void sendText(String text) throws IOException {
    send(TEXT, text.getBytes(StandardCharsets.UTF_8));
  }

  void send(int opcode, byte[] payload) throws IOException {
    out.write(frameHeader(opcode, true, payload.length));
    out.write(mask(payload, MASK));
    out.flush();
  }

  private static final byte[] MASK = {0x11, 0x22, 0x33, 0x44};

  /** A masked frame header announcing {@code length} payload bytes, with the mask {@link #MASK}. */
  static byte[] frameHeader(int opcode, boolean fin, long length) {
    ByteArrayOutputStream f = new ByteArrayOutputStream();
    f.write((fin ? 0x80 : 0) | opcode);
    if (length < 126) {
      f.write(0x80 | (int) length);
    } else if (length < 65536) {
      f.write(0x80 | 126);
      f.write((int) (length >>> 8) & 0xff);
      f.write((int) length & 0xff);
    } else {
      f.write(0x80 | 127);
      for (int i = 7; i >= 0; i--) {
        f.write((int) (length >>> (8 * i)) & 0xff);
      }
    }
    f.writeBytes(MASK);
    return f.toByteArray();
  }

  /** Masks a payload chunk that starts at a multiple of 4 bytes into the frame's payload. */
  static byte[] mask(byte[] payload, byte[] mask) {
    byte[] m = new byte[payload.length];
    for (int i = 0; i < payload.length; i++) {
      m[i] = (byte) (payload[i] ^ mask[i & 3]);
    }
    return m;
  }

  OutputStream rawOut() {
    return out;
  }

  /** Reads the next frame (the server sends unfragmented frames). */
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

  /** The next text frame, skipping pings. */
  String readText() throws IOException {
    while (true) {
      Frame f = read();
      if (f.opcode() == TEXT) {
        return f.text();
      }
      if (f.opcode() == CLOSE) {
        throw new IOException("closed: " + f.closeCode() + " " + f.closeReason());
      }
    }
  }

  /**
   * Reads until the server's close frame and returns it, or {@code null} if the connection ended
   * without one (EOF or reset).
   */
  Frame awaitClose() throws IOException {
    while (true) {
      Frame f;
      try {
        f = read();
      } catch (EOFException | java.net.SocketException e) {
        return null;
      } catch (SocketTimeoutException e) {
        throw new IOException("no close within the socket timeout", e);
      }
      if (f.opcode() == CLOSE) {
        return f;
      }
    }
  }

  /** Drops the TCP connection with a reset: no close frame, no FIN. */
  void abort() {
    try {
      socket.setSoLinger(true, 0);
      socket.close();
    } catch (IOException e) {
      // gone already
    }
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException e) {
      // gone already
    }
  }
}
