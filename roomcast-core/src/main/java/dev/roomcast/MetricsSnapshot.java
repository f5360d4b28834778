package dev.roomcast;

/**
 * A consistent-enough copy of a hub's counters at one moment (each counter is read once; counters
 * are not read under a common lock). Counters only grow; gauges go up and down.
 *
 * @param connections gauge: open connections
 * @param rooms gauge: rooms with at least one local member
 * @param connectionsOpened connections ever accepted
 * @param connectionsClosed connections ever closed
 * @param connectionsRejected joins refused (full, draining, invalid room)
 * @param messagesIn room messages accepted from clients and applications
 * @param messagesOut frames handed to transports (one per recipient)
 * @param bytesIn inbound text bytes
 * @param bytesOut outbound frame bytes handed to transports
 * @param slowConsumersClosed connections closed because their outbox overflowed (their own bound or
 *     the hub-wide one)
 * @param budgetClosed of those, connections closed because all queues together reached {@link
 *     OutboxLimits#maxTotalBytes()}
 * @param queuedBytes gauge: frame bytes queued for all connections now, each shared frame once
 * @param errors error frames sent to clients (invalid input, limits, backplane down)
 * @param publishFailures publishes the backplane refused or could not take
 * @param backplaneOutages times the backplane connection was lost
 * @param backplaneUp gauge: whether the backplane is reachable now
 * @param resumesRecovered resumes that got every missed message
 * @param resumesNotRecovered resumes answered with {@code recovered: false}
 * @param gapsSkipped live messages that could not be recovered for members after an outage
 * @param deliveryLatencyCount room-message writes timed for the publish-to-delivery latency
 * @param deliveryLatencyTotalMillis sum of those latencies: from the message's timestamp (set when
 *     the publishing node accepted it) to the write completing on this node; across nodes it
 *     includes their clock difference
 * @param messagesDelayed client messages that waited in their connection's queue for the publish
 *     rate (slowed down, not dropped)
 * @param rateClosed connections closed with 1008 because their queue of waiting messages was full
 * @param handlerRejected client messages the {@link MessageHandler} rejected
 * @param handlerFailures client messages refused because the handler threw, failed, answered too
 *     late or gave invalid content
 */
public record MetricsSnapshot(
    long connections,
    long rooms,
    long connectionsOpened,
    long connectionsClosed,
    long connectionsRejected,
    long messagesIn,
    long messagesOut,
    long bytesIn,
    long bytesOut,
    long slowConsumersClosed,
    long budgetClosed,
    long queuedBytes,
    long errors,
    long publishFailures,
    long backplaneOutages,
    boolean backplaneUp,
    long resumesRecovered,
    long resumesNotRecovered,
    long gapsSkipped,
    long deliveryLatencyCount,
    long deliveryLatencyTotalMillis,
    long messagesDelayed,
    long rateClosed,
    long handlerRejected,
    long handlerFailures) {}
