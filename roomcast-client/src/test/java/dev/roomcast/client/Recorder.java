package dev.roomcast.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** A listener that records every event, checks that calls never overlap, and waits for events. */
final class Recorder implements RoomcastClientListener {
  static final Duration WAIT = Duration.ofSeconds(10);

  /** A close as the listener saw it. */
  record Closed(int code, String reason) {}

  final List<Welcome> opens = new ArrayList<>();
  final List<ReceivedMessage> messages = new ArrayList<>();
  final List<Notice> notices = new ArrayList<>();
  final List<String> serverErrors = new ArrayList<>();
  final List<String> serverErrorIds = new ArrayList<>(); // "-" for an error that names none
  final List<Throwable> errors = new ArrayList<>();
  final List<Reconnecting> reconnects = new ArrayList<>();
  final List<Closed> closes = new ArrayList<>();
  private final AtomicBoolean inCall = new AtomicBoolean();
  private volatile boolean overlapped;

  private synchronized void record(Runnable r) {
    // overlapping callers would both have entered before either left
    if (!inCall.compareAndSet(false, true)) {
      overlapped = true;
    }
    try {
      r.run();
    } finally {
      inCall.set(false);
      notifyAll();
    }
  }

  @Override
  public void onOpen(Welcome welcome) {
    record(() -> opens.add(welcome));
  }

  @Override
  public void onMessage(ReceivedMessage message) {
    record(() -> messages.add(message));
  }

  @Override
  public void onNotice(Notice notice) {
    record(() -> notices.add(notice));
  }

  @Override
  public void onServerError(String message, String id) {
    record(
        () -> {
          serverErrors.add(message);
          serverErrorIds.add(id == null ? "-" : id);
        });
  }

  @Override
  public void onError(Throwable error) {
    record(() -> errors.add(error));
  }

  @Override
  public void onReconnecting(Reconnecting reconnecting) {
    record(() -> reconnects.add(reconnecting));
  }

  @Override
  public void onClose(int code, String reason) {
    record(() -> closes.add(new Closed(code, reason)));
  }

  synchronized List<Long> offsets() {
    return messages.stream().map(ReceivedMessage::offset).toList();
  }

  synchronized List<String> texts() {
    return messages.stream().map(ReceivedMessage::contentText).toList();
  }

  synchronized <T> T get(Supplier<T> s) {
    return s.get();
  }

  boolean overlapped() {
    return overlapped;
  }

  /** Waits until {@code condition} (evaluated under this recorder's lock) holds. */
  synchronized void await(String what, Duration timeout, BooleanSupplier condition)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        assertThat(condition.getAsBoolean())
            .as(
                what
                    + " within "
                    + timeout
                    + "; offsets="
                    + offsets()
                    + " opens="
                    + opens.size()
                    + " reconnects="
                    + reconnects
                    + " closes="
                    + closes
                    + " errors="
                    + errors)
            .isTrue();
        return;
      }
      wait(Math.max(1, left / 1_000_000));
    }
  }

  void await(String what, BooleanSupplier condition) throws InterruptedException {
    await(what, WAIT, condition);
  }
}
