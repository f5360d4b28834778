package dev.roomcast.client.internal;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs one client's listener calls one at a time, in the order they were added, without a dedicated
 * thread: whichever thread finds the queue idle runs it until it is empty. Events are added under
 * the client's lock (so their order is the order of the state changes) and run after the lock is
 * released (so a listener never runs while the client's state is locked and may call back into the
 * client).
 */
public final class SerialEvents {
  private static final Logger LOG = Logger.getLogger(SerialEvents.class.getName());

  private final Queue<Runnable> queue = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean running = new AtomicBoolean();

  public void add(Runnable event) {
    queue.add(event);
  }

  /** Runs queued events unless another thread is already running them (it will run ours too). */
  public void drain() {
    // re-check after releasing: an event added between the last poll and the release would
    // otherwise wait for the next drain
    while (!queue.isEmpty() && running.compareAndSet(false, true)) {
      try {
        for (Runnable r = queue.poll(); r != null; r = queue.poll()) {
          try {
            r.run();
          } catch (RuntimeException | Error e) {
            if (e instanceof VirtualMachineError) {
              throw e;
            }
            LOG.log(Level.WARNING, "roomcast client listener threw", e);
          }
        }
      } finally {
        running.set(false);
      }
    }
  }
}
