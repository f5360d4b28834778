package dev.roomcast.jakarta.client;

import jakarta.websocket.ContainerProvider;
import jakarta.websocket.WebSocketContainer;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The JVM-wide defaults every {@link RoomcastClient} shares unless given its own: one WebSocket
 * container, one timer thread, a few handshake threads. Created lazily; the threads are daemons and
 * end after a few idle seconds, so an application that closed its clients keeps no thread of ours.
 */
final class ClientResources {
  private static final Logger LOG = Logger.getLogger(ClientResources.class.getName());
  private static final long IDLE_SECONDS = 5;

  private ClientResources() {}

  /** Tyrus' property that makes one container share one transport (and its threads). */
  private static final String TYRUS_SHARED_CONTAINER = "org.glassfish.tyrus.client.sharedContainer";

  private static final class Container {
    static final WebSocketContainer INSTANCE = create();

    private static WebSocketContainer create() {
      WebSocketContainer c = ContainerProvider.getWebSocketContainer();
      shareTyrusTransport(c);
      return c;
    }
  }

  private static final class Timer {
    static final ScheduledExecutorService INSTANCE = create();

    private static ScheduledExecutorService create() {
      ScheduledThreadPoolExecutor s =
          new ScheduledThreadPoolExecutor(1, daemonThreads("roomcast-client-timer"));
      s.setRemoveOnCancelPolicy(true); // cancelled reconnect timers must not pile up
      s.setKeepAliveTime(IDLE_SECONDS, TimeUnit.SECONDS);
      s.allowCoreThreadTimeOut(true);
      return s;
    }
  }

  private static final class Connector {
    static final ExecutorService INSTANCE = create();

    private static ExecutorService create() {
      // connectToServer blocks for the handshake: a few threads so one slow server does not hold
      // up every other client's reconnect, bounded so a reconnect storm does not spawn thousands
      int n = Math.max(2, Math.min(8, Runtime.getRuntime().availableProcessors() * 2));
      ThreadPoolExecutor e =
          new ThreadPoolExecutor(
              n,
              n,
              IDLE_SECONDS,
              TimeUnit.SECONDS,
              new LinkedBlockingQueue<>(),
              daemonThreads("roomcast-client-connect"));
      e.allowCoreThreadTimeOut(true);
      return e;
    }
  }

  static WebSocketContainer container() {
    return Container.INSTANCE;
  }

  static ScheduledExecutorService scheduler() {
    return Timer.INSTANCE;
  }

  static ExecutorService connector() {
    return Connector.INSTANCE;
  }

  /**
   * Without this, Tyrus' client starts a transport with its own selector and worker threads for
   * every connection; with it, all connections of the container share one. Looked up by name so
   * this module does not depend on Tyrus; other containers are left as they are.
   */
  @SuppressWarnings("unchecked")
  static void shareTyrusTransport(WebSocketContainer c) {
    if (!c.getClass().getName().equals("org.glassfish.tyrus.client.ClientManager")) {
      return;
    }
    try {
      Object props = c.getClass().getMethod("getProperties").invoke(c);
      ((Map<String, Object>) props).putIfAbsent(TYRUS_SHARED_CONTAINER, Boolean.TRUE);
    } catch (ReflectiveOperationException | RuntimeException e) {
      LOG.log(Level.FINE, "could not ask Tyrus to share its client transport", e);
    }
  }

  static ThreadFactory daemonThreads(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
