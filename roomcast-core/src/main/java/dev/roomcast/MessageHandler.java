package dev.roomcast;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The application's say over what clients send: called for each client message before it is
 * published, and told of every join and leave. Register one on {@link Hub.Builder#messageHandler};
 * the default publishes everything as sent.
 *
 * <p>Threads: {@link #onMessage} runs on the thread that received the frame (a container thread) or
 * on the hub's scheduler thread (for messages that waited for the publish rate), never under a hub
 * lock. It must not block: an answer that needs I/O (a database, a moderation service) is returned
 * as a stage completed later, on any thread. {@link #onJoin} and {@link #onLeave} run on the thread
 * that admitted or removed the member and must return quickly too.
 *
 * <p>Guarantees: one connection's messages are published in the order it sent them, whatever order
 * the handler's stages complete in. At most {@link #MAX_PENDING_PER_CONNECTION} messages of one
 * connection await the handler at a time; more wait in the connection's rate queue (bounded by
 * {@link Limits#maxQueuedMessages()}). A stage that fails, a handler that throws, and an answer
 * slower than {@link Hub.Builder#handlerTimeout} (default 5 s) reject that one message: the sender
 * gets an {@code error} frame, the connection stays open, and the failure is counted ({@link
 * MetricsSnapshot#handlerFailures()}). Implementations must be thread-safe.
 */
public interface MessageHandler {

  /** How many messages of one connection may await the handler at a time. */
  int MAX_PENDING_PER_CONNECTION = 64;

  /**
   * Decides what happens to one client message.
   *
   * @return {@link HandlerDecision#publish()}, a replacement, or a rejection
   */
  CompletionStage<HandlerDecision> onMessage(ClientMessage message);

  /** A member joined a room on this hub (after its welcome was queued). */
  default void onJoin(MemberEvent event) {}

  /** A member left a room on this hub (any reason: closed, dropped, drained). */
  default void onLeave(MemberEvent event) {}

  /** Publishes every message as sent; the default. */
  static MessageHandler publishAll() {
    return PublishAll.INSTANCE;
  }

  /** The default handler: a constant answer, so the hub can take a fast path for it. */
  final class PublishAll implements MessageHandler {
    static final PublishAll INSTANCE = new PublishAll();
    private static final CompletionStage<HandlerDecision> PUBLISH =
        CompletableFuture.completedFuture(HandlerDecision.publish());

    private PublishAll() {}

    @Override
    public CompletionStage<HandlerDecision> onMessage(ClientMessage message) {
      return PUBLISH;
    }
  }
}
