package dev.roomcast.redis;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy on a free loopback port in front of one Redis that can silence pub/sub deliveries
 * while everything else still flows: with {@link #mute} on, the {@code message}/{@code smessage}
 * pushes on subscriber connections are dropped, while their PONGs and (S)SUBSCRIBE confirmations
 * and every other connection's traffic pass. A subscriber behind it stays open and answers PING but
 * receives nothing, the failure only a delivery probe can notice.
 *
 * <p>A connection counts as a subscriber from the moment its client sends {@code SUBSCRIBE} or
 * {@code SSUBSCRIBE}; only then is the server's side read as RESP frames (at a frame boundary: the
 * client sent it after reading every earlier reply). Replication and command connections are
 * forwarded byte for byte. Thread-safe.
 */
final class MutingProxy implements AutoCloseable {
  private final ServerSocket server;
  private final int targetPort;
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private final AtomicInteger dropped = new AtomicInteger();
  private volatile boolean muted;

  private MutingProxy(int targetPort) throws IOException {
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    this.targetPort = targetPort;
  }

  static MutingProxy start(int targetPort) throws IOException {
    MutingProxy p = new MutingProxy(targetPort);
    daemon(p::accept, "muting-proxy");
    return p;
  }

  int port() {
    return server.getLocalPort();
  }

  /** Drops (or passes again) every pub/sub delivery to subscribers behind the proxy. */
  void mute(boolean on) {
    muted = on;
  }

  /** Deliveries dropped so far. */
  int dropped() {
    return dropped.get();
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket client = server.accept();
        Socket upstream = new Socket();
        upstream.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort), 2000);
        sockets.add(client);
        sockets.add(upstream);
        Link link = new Link(client, upstream);
        daemon(link::fromClient, "muting-proxy-up");
        daemon(link::fromServer, "muting-proxy-down");
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  /** One proxied connection. */
  private final class Link {
    private final Socket client;
    private final Socket upstream;
    private volatile boolean subscriber;

    Link(Socket client, Socket upstream) {
      this.client = client;
      this.upstream = upstream;
    }

    void fromClient() {
      byte[] buf = new byte[16384];
      try (InputStream in = client.getInputStream();
          OutputStream out = upstream.getOutputStream()) {
        int n;
        while ((n = in.read(buf)) >= 0) {
          String text = new String(buf, 0, n, StandardCharsets.ISO_8859_1).toUpperCase();
          if (text.contains("SUBSCRIBE")) {
            subscriber = true; // before forwarding: the reply is read as frames
          }
          out.write(buf, 0, n);
          out.flush();
        }
      } catch (IOException e) {
        // one side went away
      } finally {
        closeBoth();
      }
    }

    void fromServer() {
      try (InputStream raw = upstream.getInputStream();
          OutputStream out = client.getOutputStream()) {
        InputStream in = new BufferedInputStream(raw, 16384);
        byte[] buf = new byte[16384];
        while (true) {
          if (!subscriber) {
            // byte for byte until the client subscribes; one read at a time, so nothing that
            // follows the SUBSCRIBE is taken here
            int n = raw.read(buf);
            if (n < 0) {
              return;
            }
            out.write(buf, 0, n);
            out.flush();
            continue;
          }
          ByteArrayOutputStream frame = new ByteArrayOutputStream();
          String first = readValue(in, frame);
          boolean delivery = "message".equals(first) || "smessage".equals(first);
          if (muted && delivery) {
            dropped.incrementAndGet();
            continue;
          }
          frame.writeTo(out);
          if (in.available() == 0) {
            out.flush();
          }
        }
      } catch (IOException e) {
        // one side went away
      } finally {
        closeBoth();
      }
    }

    private void closeBoth() {
      closeQuietly(client);
      closeQuietly(upstream);
    }
  }

  /**
   * Copies one RESP2 value to {@code frame}; returns the first element's text for an array whose
   * first element is a bulk string, else {@code null}.
   */
  private static String readValue(InputStream in, ByteArrayOutputStream frame) throws IOException {
    String line = readLine(in, frame);
    char type = line.charAt(0);
    if (type == '$') {
      int len = Integer.parseInt(line.substring(1));
      if (len < 0) {
        return null;
      }
      byte[] data = in.readNBytes(len + 2);
      frame.write(data);
      return new String(data, 0, len, StandardCharsets.UTF_8);
    }
    if (type == '*') {
      int count = Integer.parseInt(line.substring(1));
      String head = null;
      for (int i = 0; i < count; i++) {
        String v = readValue(in, frame);
        if (i == 0) {
          head = v;
        }
      }
      return head;
    }
    return null; // + - : lines
  }

  private static String readLine(InputStream in, ByteArrayOutputStream frame) throws IOException {
    StringBuilder sb = new StringBuilder();
    int c;
    while ((c = in.read()) >= 0) {
      frame.write(c);
      if (c == '\n' && sb.length() > 0 && sb.charAt(sb.length() - 1) == '\r') {
        return sb.substring(0, sb.length() - 1);
      }
      sb.append((char) c);
    }
    throw new IOException("connection closed");
  }

  private static void daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    t.start();
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException e) {
      // already closed
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
    sockets.forEach(MutingProxy::closeQuietly);
  }
}
