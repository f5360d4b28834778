package dev.roomcast.internal;

import dev.roomcast.MetricsSnapshot;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/** The hub's counters: striped adders so hot paths on many threads don't contend. */
public final class Counters {
  public final AtomicInteger connections = new AtomicInteger();
  public final LongAdder connectionsOpened = new LongAdder();
  public final LongAdder connectionsClosed = new LongAdder();
  public final LongAdder connectionsRejected = new LongAdder();
  public final LongAdder messagesIn = new LongAdder();
  public final LongAdder messagesOut = new LongAdder();
  public final LongAdder bytesIn = new LongAdder();
  public final LongAdder bytesOut = new LongAdder();
  public final LongAdder slowConsumersClosed = new LongAdder();
  public final LongAdder budgetClosed = new LongAdder();
  public final LongAdder errors = new LongAdder();
  public final LongAdder publishFailures = new LongAdder();
  public final LongAdder backplaneOutages = new LongAdder();
  public final LongAdder resumesRecovered = new LongAdder();
  public final LongAdder resumesNotRecovered = new LongAdder();
  public final LongAdder gapsSkipped = new LongAdder();
  public final LongAdder deliveryLatencyCount = new LongAdder();
  public final LongAdder deliveryLatencyTotalMillis = new LongAdder();
  public final LongAdder messagesDelayed = new LongAdder();
  public final LongAdder rateClosed = new LongAdder();
  public final LongAdder handlerRejected = new LongAdder();
  public final LongAdder handlerFailures = new LongAdder();

  MetricsSnapshot snapshot(int rooms, boolean backplaneUp, long queuedBytes) {
    return new MetricsSnapshot(
        connections.get(),
        rooms,
        connectionsOpened.sum(),
        connectionsClosed.sum(),
        connectionsRejected.sum(),
        messagesIn.sum(),
        messagesOut.sum(),
        bytesIn.sum(),
        bytesOut.sum(),
        slowConsumersClosed.sum(),
        budgetClosed.sum(),
        queuedBytes,
        errors.sum(),
        publishFailures.sum(),
        backplaneOutages.sum(),
        backplaneUp,
        resumesRecovered.sum(),
        resumesNotRecovered.sum(),
        gapsSkipped.sum(),
        deliveryLatencyCount.sum(),
        deliveryLatencyTotalMillis.sum(),
        messagesDelayed.sum(),
        rateClosed.sum(),
        handlerRejected.sum(),
        handlerFailures.sum());
  }
}
