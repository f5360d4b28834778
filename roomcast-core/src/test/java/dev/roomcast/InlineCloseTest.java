package dev.roomcast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.roomcast.spi.OutboundFrame;
import dev.roomcast.spi.Transport;
import dev.roomcast.testing.RecordingTransport;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * A transport may report its connection closed inline, from inside a send the hub makes while
 * holding a room's monitor (Grizzly does this when a write hits a reset connection). Found by the
 * example server's connection flood: such a close used to take the room registry under the room's
 * monitor, the reverse of the join path's order, and deadlocked with a concurrent join.
 */
class InlineCloseTest {

  @Test
  void aCloseReportedInsideASendDoesNotDeadlockWithAConcurrentJoin() {
    assertTimeoutPreemptively(
        Duration.ofSeconds(10),
        () -> {
          try (Hub hub = Hub.builder().build()) {
            hub.join(JoinRequest.to("r"), new RecordingTransport());
            AtomicReference<Connection> victim = new AtomicReference<>();
            java.util.concurrent.atomic.AtomicBoolean once =
                new java.util.concurrent.atomic.AtomicBoolean();
            CompletableFuture<Connection> concurrentJoin = new CompletableFuture<>();
            Transport dying =
                new Transport() {
                  @Override
                  public void send(OutboundFrame frame, WriteCallback done) {
                    if (frame.text().contains("joined the room")
                        && victim.get() != null
                        && once.compareAndSet(false, true)) {
                      // under the room's monitor: another join takes the registry entry and
                      // waits for that monitor...
                      Thread t =
                          new Thread(
                              () ->
                                  concurrentJoin.complete(
                                      hub.join(JoinRequest.to("r"), new RecordingTransport())));
                      t.start();
                      while (t.getState() != Thread.State.BLOCKED && t.isAlive()) {
                        Thread.onSpinWait();
                      }
                      // ...and now the container reports this connection gone, inline
                      victim.get().transportClosed();
                    }
                    done.completed(null);
                  }

                  @Override
                  public void close(int code, String reason) {}
                };
            victim.set(hub.join(JoinRequest.to("r"), dying));
            hub.join(JoinRequest.to("r"), new RecordingTransport()); // notifies the victim
            concurrentJoin.get();
            // the deferred leave ran: the victim is gone, the other three are members
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (hub.roomSize("r") != 3 && System.nanoTime() < deadline) {
              Thread.sleep(5);
            }
            assertThat(hub.roomSize("r")).isEqualTo(3);
            assertThat(victim.get().isOpen()).isFalse();
            assertThat(hub.metrics().connections()).isEqualTo(3);
          }
        });
  }
}
