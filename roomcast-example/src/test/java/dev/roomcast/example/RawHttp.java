package dev.roomcast.example;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A plain TCP connection for hand-written HTTP: requests no well-behaved client would send
 * (smuggling shapes, bodies that trickle or stop, pipelined requests), and what came back, byte for
 * byte, including whether the server closed the connection.
 */
final class RawHttp implements AutoCloseable {
  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;

  private RawHttp(Socket socket) throws IOException {
    this.socket = socket;
    this.in = socket.getInputStream();
    this.out = socket.getOutputStream();
  }

  static RawHttp connect(int port) throws IOException {
    return connect(port, 0);
  }

  /** With a small receive buffer when {@code receiveBufferBytes > 0}: a client slow to read. */
  static RawHttp connect(int port, int receiveBufferBytes) throws IOException {
    Socket s = new Socket();
    if (receiveBufferBytes > 0) {
      s.setReceiveBufferSize(receiveBufferBytes);
    }
    s.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
    s.setSoTimeout(10_000);
    return new RawHttp(s);
  }

  RawHttp send(String text) throws IOException {
    return send(text.getBytes(StandardCharsets.ISO_8859_1));
  }

  RawHttp send(byte[] bytes) throws IOException {
    out.write(bytes);
    out.flush();
    return this;
  }

  /** Half-closes: the server reads end of stream, and may still answer. */
  void shutdownOutput() throws IOException {
    socket.shutdownOutput();
  }

  /**
   * Reads until the server closes the connection or {@code timeout} passes.
   *
   * @return everything received
   */
  Received readUntilClosed(Duration timeout) throws IOException {
    socket.setSoTimeout((int) Math.max(1, timeout.toMillis()));
    ByteArrayOutputStream got = new ByteArrayOutputStream();
    long deadline = System.nanoTime() + timeout.toNanos();
    byte[] buf = new byte[8192];
    boolean closed = false;
    while (System.nanoTime() < deadline) {
      int n;
      try {
        n = in.read(buf);
      } catch (SocketTimeoutException e) {
        break;
      } catch (IOException reset) {
        closed = true; // a reset also ends it
        break;
      }
      if (n < 0) {
        closed = true;
        break;
      }
      got.write(buf, 0, n);
    }
    return new Received(got.toString(StandardCharsets.ISO_8859_1), closed);
  }

  /** What the server sent, and whether it then closed the connection. */
  record Received(String text, boolean closed) {
    /** The status line of the first response, or "" when nothing came. */
    String status() {
      int eol = text.indexOf("\r\n");
      return eol < 0 ? text : text.substring(0, eol);
    }

    /** How many responses came (status lines). */
    int responses() {
      int n = 0;
      for (int i = text.indexOf("HTTP/1."); i >= 0; i = text.indexOf("HTTP/1.", i + 1)) {
        n++;
      }
      return n;
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
