package dev.roomcast.internal;

import dev.roomcast.ClientMessage;
import dev.roomcast.CloseCodes;
import dev.roomcast.HandlerDecision;
import dev.roomcast.MessageHandler;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One connection's way from "a valid message arrived" to "published": the publish rate, the bounded
 * queue of messages waiting for it, the application's {@link MessageHandler}, and publishing in the
 * order the client sent.
 *
 * <p>A message that finds no token waits in the queue and is released at the rate by the hub's
 * scheduler; nothing is dropped for speed. Only a queue that is full ({@code maxQueuedMessages}, or
 * the hub-wide byte budget) closes the connection with 1008. While the queue is more than half full
 * the transport is asked to stop reading, so TCP slows the client before that happens.
 *
 * <p>Ordering: messages enter {@code deciding} in arrival order and leave it only from its head,
 * once the head's decision is in, so a handler answering out of order cannot reorder a sender.
 *
 * <p>Thread-safety: all state is guarded by this object's monitor. The handler is called outside
 * it; publishing happens under it (so that publishes leave in order), which is safe because the
 * publish path takes only room monitors, and nothing holding a room monitor enters a pipeline.
 */
final class InboundPipeline {
  private static final Logger LOG = Logger.getLogger("dev.roomcast.Hub");

  private final Member member;
  private final HubEngine engine;
  private final TokenBucket bucket;
  private final MessageHandler handler;
  private final boolean publishAll;
  private final ArrayDeque<Pending> waiting = new ArrayDeque<>();
  private final ArrayDeque<Pending> deciding = new ArrayDeque<>();
  private boolean releaseScheduled;
  private boolean paused;
  private boolean discarded;

  /** One message on its way; {@code decided} once the handler answered. */
  private static final class Pending {
    final String content;
    final String id;
    final int bytes;
    boolean decided;
    HandlerDecision decision;
    Throwable failure;

    Pending(String content, String id, int bytes) {
      this.content = content;
      this.id = id;
      this.bytes = bytes;
    }
  }

  InboundPipeline(Member member, HubEngine engine) {
    this.member = member;
    this.engine = engine;
    this.handler = engine.messageHandler();
    this.publishAll = handler instanceof MessageHandler.PublishAll;
    this.bucket =
        new TokenBucket(
            engine.limits().publishRatePerSecond(),
            engine.limits().publishBurst(),
            engine.nanoTime());
  }

  /**
   * A validated message from the client ({@code content} as compact JSON, {@code id} its frame's id
   * or {@code null}).
   */
  void offer(String content, String id) {
    Pending start = null;
    boolean overflow = false;
    synchronized (this) {
      if (discarded) {
        return;
      }
      if (waiting.isEmpty()
          && deciding.size() < MessageHandler.MAX_PENDING_PER_CONNECTION
          && bucket.tryAcquire(engine.nanoTime())) {
        start = new Pending(content, id, 0);
        if (publishAll && deciding.isEmpty()) {
          engine.publishFrom(member, content, id);
          return;
        }
        deciding.add(start);
      } else {
        int bytes = (content.length() + (id == null ? 0 : id.length())) * 2 + 64;
        if (waiting.size() >= engine.limits().maxQueuedMessages()
            || !engine.outboxBudget().tryReserve(bytes)) {
          overflow = true;
          discardLocked();
        } else {
          waiting.add(new Pending(content, id, bytes));
          engine.counters().messagesDelayed.increment();
          scheduleReleaseLocked();
          if (!paused && waiting.size() > engine.limits().maxQueuedMessages() / 2) {
            paused = true;
            member.transport().pauseReading();
          }
        }
      }
    }
    if (overflow) {
      engine.counters().rateClosed.increment();
      member.close(
          CloseCodes.POLICY_VIOLATION,
          "publish rate exceeded: more than "
              + engine.limits().maxQueuedMessages()
              + " messages waiting");
      return;
    }
    if (start != null) {
      decide(start);
    }
  }

  /** Takes a token for a request that is not a message (a presence request); false when none. */
  synchronized boolean tryTakeToken() {
    return waiting.isEmpty() && bucket.tryAcquire(engine.nanoTime());
  }

  /** Drops what still waits (the connection was closed for flooding, or the hub closes). */
  synchronized void discard() {
    discardLocked();
  }

  private void discardLocked() {
    discarded = true;
    for (Pending p : waiting) {
      engine.outboxBudget().free(p.bytes);
    }
    waiting.clear();
  }

  /** Messages waiting for the rate or the handler (for tests and metrics). */
  synchronized int backlog() {
    return waiting.size() + deciding.size();
  }

  private void scheduleReleaseLocked() {
    if (releaseScheduled) {
      return;
    }
    long delay = Math.max(1, bucket.nanosUntilToken(engine.nanoTime()));
    releaseScheduled = engine.scheduleNanos(this::release, delay);
  }

  /** Moves waiting messages to the handler as tokens and handler slots allow. */
  private void release() {
    List<Pending> started = new ArrayList<>();
    synchronized (this) {
      releaseScheduled = false;
      if (discarded) {
        return;
      }
      while (!waiting.isEmpty()
          && deciding.size() < MessageHandler.MAX_PENDING_PER_CONNECTION
          && bucket.tryAcquire(engine.nanoTime())) {
        Pending p = waiting.poll();
        engine.outboxBudget().free(p.bytes);
        deciding.add(p);
        started.add(p);
      }
      if (!waiting.isEmpty() && deciding.size() < MessageHandler.MAX_PENDING_PER_CONNECTION) {
        scheduleReleaseLocked();
      }
      if (paused && waiting.size() <= engine.limits().maxQueuedMessages() / 4) {
        paused = false;
        member.transport().resumeReading();
      }
    }
    for (Pending p : started) {
      decide(p);
    }
  }

  private void decide(Pending p) {
    if (publishAll) {
      decided(p, HandlerDecision.publish(), null);
      return;
    }
    CompletionStage<HandlerDecision> stage;
    try {
      stage =
          handler.onMessage(
              new ClientMessage(member.identity(), member.clientId(), member.room(), p.content));
      if (stage == null) {
        throw new NullPointerException("MessageHandler.onMessage returned null");
      }
    } catch (RuntimeException e) {
      decided(p, null, e);
      return;
    }
    CompletableFuture<HandlerDecision> bounded = new CompletableFuture<>();
    stage.whenComplete(
        (d, e) -> {
          if (e != null) {
            bounded.completeExceptionally(e);
          } else {
            bounded.complete(d);
          }
        });
    bounded
        .orTimeout(engine.handlerTimeout().toNanos(), TimeUnit.NANOSECONDS)
        .whenComplete((d, e) -> decided(p, d, e));
  }

  private void decided(Pending p, HandlerDecision decision, Throwable failure) {
    synchronized (this) {
      p.decision = decision;
      p.failure = failure;
      p.decided = true;
      boolean wasFull = deciding.size() >= MessageHandler.MAX_PENDING_PER_CONNECTION;
      Pending head;
      while ((head = deciding.peek()) != null && head.decided) {
        deciding.poll();
        apply(head);
      }
      if (wasFull && !waiting.isEmpty() && !discarded) {
        scheduleReleaseLocked();
      }
    }
  }

  /** Publishes or refuses one decided message. Caller holds the monitor (publish order). */
  private void apply(Pending p) {
    Throwable failure = p.failure;
    if (failure instanceof CompletionException && failure.getCause() != null) {
      failure = failure.getCause();
    }
    if (failure != null || p.decision == null) {
      engine.counters().handlerFailures.increment();
      if (failure instanceof TimeoutException) {
        member.sendError("message not delivered: the server did not decide in time", p.id);
      } else {
        LOG.log(Level.WARNING, "message handler failed for " + member, failure);
        member.sendError("message not delivered: server error", p.id);
      }
      return;
    }
    HandlerDecision d = p.decision;
    if (d.isRejected()) {
      engine.counters().handlerRejected.increment();
      member.sendError(d.rejection(), p.id);
      return;
    }
    String content = p.content;
    if (d.replacementJson() != null) {
      try {
        content = engine.codec().normalizeContent(d.replacementJson());
      } catch (InvalidInputException e) {
        engine.counters().handlerFailures.increment();
        LOG.warning("message handler replaced content with invalid content: " + e.getMessage());
        member.sendError("message not delivered: server error", p.id);
        return;
      }
    }
    engine.publishFrom(member, content, p.id);
  }
}
