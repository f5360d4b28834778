package dev.roomcast.jakarta.testkit;

import dev.roomcast.spi.WebSocketFrames;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A WebSocket client on a bare {@link Socket} to 127.0.0.1 that does only what a test tells it and
 * writes exactly the bytes it asks for: handshakes done by hand (or raw request bytes), masked
 * frames with any opcode, payload or length, invalid UTF-8, frames announced larger than what is
 * sent. In particular it never answers pings on its own (see {@link #pong}), like a peer that
 * vanished without closing, and can be made to read nothing (a small receive buffer, see {@link
 * #open}) so that the server's writes back up.
 *
 * <p>Reads use a socket timeout of 10 seconds unless {@link #setReadTimeout} changes it; a read
 * that times out throws {@link SocketTimeoutException}.
 *
 * <p>Not thread-safe: one test thread drives it. The one exception is writing a long payload on
 * {@link #rawOut()} from another thread while the test thread reads the server's answer.
 */
public final class RawWebSocket implements AutoCloseable {
  /** Opcode of a text frame. */
  public static final int TEXT = 0x1;

  /** Opcode of a binary frame. */
  public static final int BINARY = 0x2;

  /** Opcode of a close frame. */
  public static final int CLOSE = 0x8;

  /** Opcode of a ping frame. */
  public static final int PING = 0x9;

  /** Opcode of a pong frame. */
  public static final int PONG = 0xA;

  private static final int CONNECT_TIMEOUT_MILLIS = 10_000;
  private static final int READ_TIMEOUT_MILLIS = 10_000;

  /** The masking key of {@link #frameHeader}; other frames get a random one. */
  private static final byte[] HEADER_MASK = {0x11, 0x22, 0x33, 0x44};

  /** One frame from the server (the server's frames are unmasked). */
  public record Frame(int opcode, byte[] payload) {
    /** The payload as UTF-8 text. */
    public String text() {
      return new String(payload, StandardCharsets.UTF_8);
    }

    /** The close code of a close frame (1005 when it has none). */
    public int closeCode() {
      return payload.length >= 2 ? ((payload[0] & 0xff) << 8) | (payload[1] & 0xff) : 1005;
    }

    /** The close reason of a close frame ("" when it has none). */
    public String closeReason() {
      return payload.length > 2
          ? new String(payload, 2, payload.length - 2, StandardCharsets.UTF_8)
          : "";
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

  /**
   * A connected socket, nothing sent yet: follow with {@link #handshake} or {@link #handshakeRaw}.
   * A {@code receiveBufferBytes > 0} is set before connecting, so the TCP window is small from the
   * start and a peer that stops reading backs the server's writes up after little data; 0 keeps the
   * OS default.
   */
  public static RawWebSocket open(int port, int receiveBufferBytes) throws IOException {
    Socket s = new Socket();
    try {
      if (receiveBufferBytes > 0) {
        s.setReceiveBufferSize(receiveBufferBytes); // before connect, so the window is small
      }
      s.connect(new InetSocketAddress("127.0.0.1", port), CONNECT_TIMEOUT_MILLIS);
      s.setSoTimeout(READ_TIMEOUT_MILLIS);
      return new RawWebSocket(s);
    } catch (IOException | RuntimeException e) {
      s.close();
      throw e;
    }
  }

  /**
   * Opens a WebSocket to {@code pathAndQuery}.
   *
   * @throws IOException with the status line when the server does not answer 101
   */
  public static RawWebSocket connect(int port, String pathAndQuery) throws IOException {
    return connect(port, pathAndQuery, 0);
  }

  /**
   * Opens a WebSocket with a small receive buffer when {@code receiveBufferBytes > 0} (see {@link
   * #open}).
   *
   * @throws IOException with the status line when the server does not answer 101
   */
  public static RawWebSocket connect(int port, String pathAndQuery, int receiveBufferBytes)
      throws IOException {
    RawWebSocket ws = open(port, receiveBufferBytes);
    String status;
    try {
      status = ws.handshake(pathAndQuery, "");
    } catch (IOException | RuntimeException e) {
      ws.close();
      throw e;
    }
    if (!status.startsWith("HTTP/1.1 101")) {
      ws.close();
      throw new IOException("handshake refused: " + status);
    }
    return ws;
  }

  /** The status line the server answers a WebSocket handshake with, e.g. "HTTP/1.1 401 ...". */
  public static String handshakeStatus(int port, String pathAndQuery) throws IOException {
    return handshakeStatus(port, pathAndQuery, "");
  }

  /**
   * The status line the server answers a WebSocket handshake with extra request headers ({@code
   * "Name: value\r\n"} lines), e.g. "HTTP/1.1 401 ..."; "" if the server just closed.
   */
  public static String handshakeStatus(int port, String pathAndQuery, String extraHeaders)
      throws IOException {
    try (RawWebSocket ws = open(port, 0)) {
      return ws.handshake(pathAndQuery, extraHeaders);
    }
  }

  /**
   * Sends a valid upgrade request for {@code pathAndQuery} plus {@code extraHeaders} ({@code "Name:
   * value\r\n"} lines), reads the response head and returns its status line ("" if the server just
   * closed). On a 101 the connection is then a WebSocket.
   */
  public String handshake(String pathAndQuery, String extraHeaders) throws IOException {
    byte[] key = new byte[16];
    ThreadLocalRandom.current().nextBytes(key);
    return handshakeRaw(
        "GET "
            + pathAndQuery
            + " HTTP/1.1\r\n"
            + "Host: 127.0.0.1:"
            + socket.getPort()
            + "\r\n"
            + "Upgrade: websocket\r\n"
            + "Connection: Upgrade\r\n"
            + "Sec-WebSocket-Key: "
            + Base64.getEncoder().encodeToString(key)
            + "\r\n"
            + "Sec-WebSocket-Version: 13\r\n"
            + extraHeaders
            + "\r\n");
  }

  /**
   * Sends {@code request} as is (each char as one byte, ISO-8859-1) and reads the response head;
   * returns the status line ("" if the server just closed).
   */
  public String handshakeRaw(String request) throws IOException {
    out.write(request.getBytes(StandardCharsets.ISO_8859_1));
    out.flush();
    String status = readLine();
    headers.setLength(0);
    for (String h = readLine(); !h.isEmpty(); h = readLine()) {
      headers.append(h).append('\n');
    }
    return status;
  }

  /** The response headers of the last handshake, one per line. */
  public String responseHeaders() {
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

  /** How long a read waits before it throws {@link SocketTimeoutException}. */
  public void setReadTimeout(Duration timeout) throws IOException {
    socket.setSoTimeout(Math.toIntExact(timeout.toMillis()));
  }

  /**
   * Reads the next frame, whatever its opcode (unfragmented frames only: the server sends no
   * fragments).
   */
  public Frame read() throws IOException {
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

  /**
   * The payload of the next text frame, skipping other frames (pings are not answered).
   *
   * @throws IOException on a close frame, with its code and reason
   */
  public String readText() throws IOException {
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
   *
   * @throws IOException if nothing ends the connection within the read timeout
   */
  public Frame awaitClose() throws IOException {
    while (true) {
      Frame f;
      try {
        f = read();
      } catch (EOFException | SocketException e) {
        return null;
      } catch (SocketTimeoutException e) {
        throw new IOException("no close within the socket timeout", e);
      }
      if (f.opcode() == CLOSE) {
        return f;
      }
    }
  }

  /** Sends one final text frame. */
  public void sendText(String text) throws IOException {
    sendFrame(TEXT, text.getBytes(StandardCharsets.UTF_8));
  }

  /** Answers a ping with a pong carrying the same payload, as RFC 6455 requires. */
  public void pong(Frame ping) throws IOException {
    sendFrame(PONG, ping.payload());
  }

  /**
   * Sends one final frame with this opcode and payload (any bytes, e.g. invalid UTF-8 in a text
   * frame), masked with a random key as a client must.
   */
  public void sendFrame(int opcode, byte[] payload) throws IOException {
    byte[] mask = new byte[4];
    ThreadLocalRandom.current().nextBytes(mask);
    ByteArrayOutputStream f = new ByteArrayOutputStream();
    f.writeBytes(WebSocketFrames.header(opcode, true, payload.length, mask));
    f.writeBytes(mask(payload, mask));
    out.write(f.toByteArray());
    out.flush();
  }

  /**
   * A masked frame header announcing {@code length} payload bytes, for frames written by hand on
   * {@link #rawOut()}: any opcode (0 for a continuation), final or not, any announced length. Its
   * masking key is always {@code {0x11, 0x22, 0x33, 0x44}}: mask the payload with {@link
   * #mask(byte[], byte[])} and that key.
   */
  public static byte[] frameHeader(int opcode, boolean fin, long length) {
    return WebSocketFrames.header(opcode, fin, length, HEADER_MASK);
  }

  /**
   * {@code payload} masked with the 4-byte {@code mask}, for a chunk that starts at a multiple of 4
   * bytes into its frame's payload.
   */
  public static byte[] mask(byte[] payload, byte[] mask) {
    byte[] m = new byte[payload.length];
    for (int i = 0; i < payload.length; i++) {
      m[i] = (byte) (payload[i] ^ mask[i & 3]);
    }
    return m;
  }

  /** The socket's output, to write hand-made bytes (requests, frames) directly. */
  public OutputStream rawOut() {
    return out;
  }

  /** Drops the TCP connection with a reset: no close frame, no FIN. */
  public void abort() {
    try {
      socket.setSoLinger(true, 0);
      socket.close();
    } catch (IOException e) {
      // gone already
    }
  }

  /** Closes the socket (a FIN, no close frame). */
  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException e) {
      // gone already
    }
  }
}
