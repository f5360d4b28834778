package dev.roomcast.client.internal;

import java.net.http.HttpClient;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The JVM-wide defaults every client shares unless given its own: one {@link HttpClient} (its
 * threads are the JDK's daemons) and one timer thread. Created lazily; the timer thread is a daemon
 * and ends after a few idle seconds, so an application that closed its clients keeps no thread of
 * ours.
 */
public final class ClientDefaults {
  private static final long IDLE_SECONDS = 5;

  private ClientDefaults() {}

  private static final class Http {
    static final HttpClient INSTANCE = HttpClient.newHttpClient();
  }

  private static final class Timer {
    static final ScheduledExecutorService INSTANCE = create();

    private static ScheduledExecutorService create() {
      AtomicInteger n = new AtomicInteger();
      ScheduledThreadPoolExecutor s =
          new ScheduledThreadPoolExecutor(
              1,
              r -> {
                Thread t = new Thread(r, "roomcast-client-timer-" + n.incrementAndGet());
                t.setDaemon(true);
                return t;
              });
      s.setRemoveOnCancelPolicy(true); // cancelled welcome timers must not pile up
      s.setKeepAliveTime(IDLE_SECONDS, TimeUnit.SECONDS);
      s.allowCoreThreadTimeOut(true);
      return s;
    }
  }

  public static HttpClient httpClient() {
    return Http.INSTANCE;
  }

  public static ScheduledExecutorService scheduler() {
    return Timer.INSTANCE;
  }
}
