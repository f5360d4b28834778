package dev.roomcast.internal;

import dev.roomcast.MetricsSnapshot;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * The hub's counters: striped adders so hot paths on many threads don't contend. Package-private
 * fields, written by the engine and its parts; read only through {@link #snapshot}. Thread-safe.
 */
public final class Counters {
  final AtomicInteger connections = new AtomicInteger();
  final LongAdder connectionsOpened = new LongAdder();
  final LongAdder connectionsClosed = new LongAdder();
  final LongAdder connectionsRejected = new LongAdder();
  final LongAdder messagesIn = new LongAdder();
  final LongAdder messagesOut = new LongAdder();
  final LongAdder bytesIn = new LongAdder();
  final LongAdder bytesOut = new LongAdder();
  final LongAdder slowConsumersClosed = new LongAdder();
  final LongAdder budgetClosed = new LongAdder();
  final LongAdder errors = new LongAdder();
  final LongAdder publishFailures = new LongAdder();
  final LongAdder backplaneOutages = new LongAdder();
  final LongAdder resumesRecovered = new LongAdder();
  final LongAdder resumesNotRecovered = new LongAdder();
  final LongAdder gapsSkipped = new LongAdder();
  final LongAdder deliveryLatencyCount = new LongAdder();
  final LongAdder deliveryLatencyTotalMillis = new LongAdder();
  final LongAdder messagesDelayed = new LongAdder();
  final LongAdder rateClosed = new LongAdder();
  final LongAdder handlerRejected = new LongAdder();
  final LongAdder handlerFailures = new LongAdder();

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
