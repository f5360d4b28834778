package dev.roomcast.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy on a free loopback port that sends its first {@code n} connections to one Redis and
 * every later one to another: one address whose target changes between two connects, as a DNS name
 * or a load balancer does during a failover. A node whose command connection lands on the first and
 * subscriber connection on the second answers PING on both and receives nothing.
 */
final class SplitProxy implements AutoCloseable {
  private final ServerSocket server;
  private final int firstPort;
  private final int laterPort;
  private final int firstCount;
  private final AtomicInteger accepted = new AtomicInteger();
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private final Thread acceptor;

  private SplitProxy(int firstPort, int laterPort, int firstCount) throws IOException {
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    this.firstPort = firstPort;
    this.laterPort = laterPort;
    this.firstCount = firstCount;
    this.acceptor = new Thread(this::accept, "split-proxy");
    this.acceptor.setDaemon(true);
  }

  static SplitProxy start(int firstPort, int laterPort, int firstCount) throws IOException {
    SplitProxy p = new SplitProxy(firstPort, laterPort, firstCount);
    p.acceptor.start();
    return p;
  }

  int port() {
    return server.getLocalPort();
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket client = server.accept();
        int target = accepted.incrementAndGet() <= firstCount ? firstPort : laterPort;
        Socket upstream = new Socket();
        upstream.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), target), 2000);
        sockets.add(client);
        sockets.add(upstream);
        pump(client, upstream);
        pump(upstream, client);
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  private void pump(Socket from, Socket to) {
    Thread t =
        new Thread(
            () -> {
              byte[] buf = new byte[16384];
              try (InputStream in = from.getInputStream();
                  OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buf)) >= 0) {
                  out.write(buf, 0, n);
                  out.flush();
                }
              } catch (IOException e) {
                // one side went away
              } finally {
                closeQuietly(from);
                closeQuietly(to);
              }
            },
            "split-proxy-pump");
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
    sockets.forEach(SplitProxy::closeQuietly);
  }
}
