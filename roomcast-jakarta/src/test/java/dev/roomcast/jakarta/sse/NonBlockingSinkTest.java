package dev.roomcast.jakarta.sse;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The write sequencing of {@link NonBlockingSink} against a scripted fake container. */
class NonBlockingSinkTest {

  /** A container output whose readiness the test controls; detects overlapping calls. */
  static class FakeOutput extends NonBlockingSink {
    final List<String> ops = new ArrayList<>();
    final AtomicInteger inside = new AtomicInteger();
    final AtomicInteger overlaps = new AtomicInteger();
    volatile boolean readyNow = true;
    volatile boolean failWrites;
    private boolean notifyWanted; // guarded by this

    private void enter() {
      if (inside.incrementAndGet() != 1) {
        overlaps.incrementAndGet();
      }
    }

    private void exit() {
      inside.decrementAndGet();
    }

    @Override
    protected boolean ready() {
      enter();
      try {
        if (readyNow) {
          return true;
        }
        synchronized (this) {
          notifyWanted = true;
        }
        return false;
      } finally {
        exit();
      }
    }

    @Override
    protected void writeBytes(byte[] bytes) throws IOException {
      enter();
      try {
        if (failWrites) {
          throw new IOException("broken pipe");
        }
        record("write " + new String(bytes, StandardCharsets.UTF_8));
      } finally {
        exit();
      }
    }

    @Override
    protected void flushBytes() {
      enter();
      try {
        record("flush");
      } finally {
        exit();
      }
    }

    @Override
    protected void end(boolean graceful) {
      record("end " + (graceful ? "graceful" : "abort"));
    }

    synchronized void record(String op) {
      ops.add(op);
    }

    synchronized List<String> ops() {
      return List.copyOf(ops);
    }

    /** The container becomes writable and calls back if someone was waiting. */
    void becomeReady() {
      readyNow = true;
      boolean call;
      synchronized (this) {
        call = notifyWanted;
        notifyWanted = false;
      }
      if (call) {
        writePossible();
      }
    }

    void gone(Throwable cause) {
      containerClosed(cause);
    }
  }

  static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void aWriteIsDoneAfterItWasWrittenFlushedAndTheOutputIsReadyAgain() {
    FakeOutput out = new FakeOutput();
    AtomicReference<Throwable> result = new AtomicReference<>();
    AtomicInteger calls = new AtomicInteger();
    out.write(
        bytes("a"),
        f -> {
          calls.incrementAndGet();
          result.set(f);
        });
    assertThat(out.ops()).containsExactly("write a", "flush");
    assertThat(calls.get()).isEqualTo(1);
    assertThat(result.get()).isNull();
  }

  @Test
  void aWriteWaitsForTheContainerAtEveryStep() {
    FakeOutput out = new FakeOutput();
    out.readyNow = false;
    AtomicInteger calls = new AtomicInteger();
    out.write(bytes("a"), f -> calls.incrementAndGet());
    assertThat(out.ops()).isEmpty();
    out.becomeReady();
    assertThat(out.ops()).containsExactly("write a", "flush");
    assertThat(calls.get()).isEqualTo(1);

    // ready for the write, not for the flush: not done until the flush went through
    AtomicInteger calls2 = new AtomicInteger();
    FakeOutput w =
        new FakeOutput() {
          @Override
          protected void writeBytes(byte[] b) throws IOException {
            super.writeBytes(b);
            readyNow = false; // the container's buffer filled up
          }
        };
    w.write(bytes("b"), f -> calls2.incrementAndGet());
    assertThat(w.ops()).containsExactly("write b");
    assertThat(calls2.get()).isZero();
    w.becomeReady();
    assertThat(w.ops()).containsExactly("write b", "flush");
    assertThat(calls2.get()).isEqualTo(1);
  }

  @Test
  void closingAnIdleSinkEndsGracefullyAndLaterWritesFail() {
    FakeOutput out = new FakeOutput();
    out.write(bytes("a"), f -> {});
    out.close();
    out.close();
    assertThat(out.ops()).containsExactly("write a", "flush", "end graceful");
    AtomicReference<Throwable> late = new AtomicReference<>();
    out.write(bytes("b"), late::set);
    assertThat(late.get()).isInstanceOf(IOException.class);
    assertThat(out.ops()).hasSize(3);
  }

  @Test
  void closingWhileAWriteIsStuckFailsItAndAbortsTheResponse() {
    FakeOutput out = new FakeOutput();
    out.readyNow = false;
    AtomicReference<Throwable> result = new AtomicReference<>();
    out.write(bytes("a"), result::set);
    out.close();
    assertThat(result.get()).isInstanceOf(IOException.class);
    assertThat(out.ops()).containsExactly("end abort");
    out.becomeReady(); // a late callback from the container does nothing
    assertThat(out.ops()).containsExactly("end abort");
  }

  @Test
  void aFailedWriteFailsTheCallbackAndAbortsTheResponse() {
    FakeOutput out = new FakeOutput();
    out.failWrites = true;
    AtomicReference<Throwable> result = new AtomicReference<>();
    out.write(bytes("a"), result::set);
    assertThat(result.get()).hasMessage("broken pipe");
    assertThat(out.ops()).containsExactly("end abort");
  }

  @Test
  void whenTheContainerReleasesTheResponseNothingTouchesItAnyMore() {
    FakeOutput out = new FakeOutput();
    out.readyNow = false;
    AtomicReference<Throwable> result = new AtomicReference<>();
    out.write(bytes("a"), result::set);
    IOException cause = new IOException("peer closed");
    out.gone(cause);
    assertThat(result.get()).isSameAs(cause);
    out.close();
    out.becomeReady();
    assertThat(out.ops()).isEmpty();
  }

  @Test
  void underConcurrentCallbacksTheContainerIsNeverCalledFromTwoThreadsAndOrderHolds()
      throws Exception {
    FakeOutput out = new FakeOutput();
    int n = 20_000;
    CompletableFuture<Void> all = new CompletableFuture<>();
    AtomicInteger next = new AtomicInteger();
    // like the hub's outbox: the next write starts from the previous one's callback
    Runnable[] writeNext = new Runnable[1];
    writeNext[0] =
        () -> {
          int i = next.getAndIncrement();
          if (i == n) {
            all.complete(null);
            return;
          }
          out.write(
              bytes(Integer.toString(i)),
              f -> {
                if (f != null) {
                  all.completeExceptionally(f);
                } else {
                  writeNext[0].run();
                }
              });
        };
    Thread flipper =
        new Thread(
            () -> {
              ThreadLocalRandom r = ThreadLocalRandom.current();
              while (!all.isDone()) {
                out.readyNow = r.nextInt(4) != 0;
                if (out.readyNow) {
                  out.becomeReady();
                }
              }
            });
    flipper.start();
    writeNext[0].run();
    try {
      all.get(60, TimeUnit.SECONDS);
    } finally {
      flipper.join(5000);
    }
    out.becomeReady();
    assertThat(out.overlaps.get()).isZero();
    List<String> writes = out.ops().stream().filter(o -> o.startsWith("write ")).toList();
    assertThat(writes).hasSize(n);
    for (int i = 0; i < n; i++) {
      assertThat(writes.get(i)).isEqualTo("write " + i);
    }
  }
}
