package dev.roomcast.example;

import java.io.IOException;
import java.util.concurrent.CountDownLatch;

/**
 * {@code java -jar roomcast-example.jar}: reads the environment, starts the server, and drains on
 * SIGTERM.
 *
 * <p>Exit codes: 143 (128 + SIGTERM, as for any JVM) after a SIGTERM drain, 1 when the server
 * cannot start (port taken), 2 for bad configuration (the message names the variable).
 */
public final class Main {
  /** Exit code for a configuration error. */
  public static final int EXIT_CONFIG = 2;

  /** Exit code when the server could not start. */
  public static final int EXIT_START_FAILED = 1;

  private Main() {}

  public static void main(String[] args) throws InterruptedException {
    // Before anything touches java.util.logging (so no static loggers in this class).
    if (System.getProperty("java.util.logging.manager") == null) {
      System.setProperty("java.util.logging.manager", ShutdownSafeLogManager.class.getName());
    }
    ServerConfig config;
    try {
      config = ServerConfig.fromEnv(System.getenv());
    } catch (ConfigException e) {
      System.err.println("roomcast: configuration error: " + e.getMessage());
      System.exit(EXIT_CONFIG);
      return;
    }
    Logging.configure(config.logLevel());

    ExampleServer server;
    try {
      server = ExampleServer.start(config);
    } catch (ConfigException e) {
      System.err.println("roomcast: configuration error: " + e.getMessage());
      System.exit(EXIT_CONFIG);
      return;
    } catch (IOException | RuntimeException e) {
      System.err.println("roomcast: cannot start: " + e);
      System.exit(EXIT_START_FAILED);
      return;
    }

    CountDownLatch forever = new CountDownLatch(1);
    ShutdownSafeLogManager.holdResetUntilReleased();
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  try {
                    server.shutdownGracefully();
                  } finally {
                    ShutdownSafeLogManager.releaseReset();
                  }
                },
                "roomcast-shutdown"));
    forever.await(); // the JVM exits when the shutdown hook is done
  }
}
