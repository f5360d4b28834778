package dev.roomcast.redis;

import dev.roomcast.spi.BackplaneListener;
import dev.roomcast.spi.RoomMessage;
import dev.roomcast.spi.RoomNotice;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** A {@link BackplaneListener} that records everything, for SPI-level tests. */
final class RecordingListener implements BackplaneListener {
  final List<RoomMessage> messages = new CopyOnWriteArrayList<>();
  final List<RoomNotice> notices = new CopyOnWriteArrayList<>();
  final List<Throwable> lostCauses = new CopyOnWriteArrayList<>();
  final AtomicInteger lost = new AtomicInteger();
  final AtomicInteger restored = new AtomicInteger();

  @Override
  public void onMessage(RoomMessage message) {
    messages.add(message);
  }

  @Override
  public void onNotice(RoomNotice notice) {
    notices.add(notice);
  }

  @Override
  public void onLost(Throwable cause) {
    lostCauses.add(cause);
    lost.incrementAndGet();
  }

  @Override
  public void onRestored() {
    restored.incrementAndGet();
  }

  List<RoomMessage> in(String room) {
    return messages.stream().filter(m -> m.room().equals(room)).toList();
  }
}
