package dev.roomcast.internal;

import dev.roomcast.CloseCodes;
import dev.roomcast.Connection;
import dev.roomcast.Identity;
import dev.roomcast.RoomAuthorizer;
import dev.roomcast.spi.OutboundFrame;
import dev.roomcast.spi.Transport;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One connection's membership: its outbox, its rate limiter, and while it resumes, the live frames
 * held back until the missed history has been queued in front of them.
 */
public final class Member implements Connection, Outbox.Listener {
  private final HubEngine engine;
  private final String clientId;
  private final String roomName;
  private final Transport transport;
  private final Outbox outbox;
  private final boolean canPublish;
  private final Identity identity;
  private final InboundPipeline inbound;
  String resumeToken;

  /** Why the token this connection presented was refused, or {@code null}. */
  String tokenRefusal;

  /** The code this member was closed with by the server, or 0 when its transport went away. */
  volatile int closeCode;

  /** Set when a newer connection resumed this client id: it leaves without a notice. */
  volatile boolean replaced;

  /** When this client joined (kept when it resumed within the grace on this hub). */
  volatile java.time.Instant joinedAt =
      java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);

  private volatile boolean presenceDiffs;

  private final AtomicBoolean closed = new AtomicBoolean();
  Room room;
  volatile java.util.concurrent.ScheduledFuture<?> maxAgeTimer;

  /** The seam between history and live traffic. Guarded by the room's lock. */
  private final ResumeSeam seam;

  Member(
      HubEngine engine,
      String clientId,
      String roomName,
      Transport transport,
      boolean canPublish,
      Identity identity) {
    this.engine = engine;
    this.identity = identity;
    this.clientId = clientId;
    this.roomName = roomName;
    this.transport = transport;
    this.canPublish = canPublish;
    this.outbox = new Outbox(transport, engine.outboxLimits(), this, engine.outboxBudget());
    this.inbound = new InboundPipeline(this, engine);
    this.seam = new ResumeSeam(engine.outboxLimits().maxFrames(), engine.outboxLimits().maxBytes());
  }

  @Override
  public String clientId() {
    return clientId;
  }

  @Override
  public String room() {
    return roomName;
  }

  @Override
  public boolean isOpen() {
    return !closed.get();
  }

  /** Whether the member holds frames back while catching up. Caller holds the room lock. */
  boolean isCatchingUp() {
    return seam.isHolding();
  }

  void holdFrames() {
    seam.hold();
  }

  /** This member's seam; caller holds the room lock. */
  ResumeSeam seam() {
    return seam;
  }

  /** Queues a frame for this member. Called under the room's lock, in delivery order. */
  void deliver(OutboundFrame frame) {
    switch (seam.offer(frame)) {
      case SEND -> outbox.offer(frame);
      case OVERFLOW -> engine.slowConsumer(this); // the close path takes it out of the room
      case HELD, SKIP -> {}
    }
  }

  /** Queues a frame directly, bypassing the hold (welcome, errors, recovered history). */
  void send(OutboundFrame frame) {
    outbox.offer(frame);
  }

  public Outbox outbox() {
    return outbox;
  }

  @Override
  public void receiveText(String text) {
    if (closed.get()) {
      return;
    }
    engine.counters().bytesIn.add(text.length());
    int max = engine.limits().maxMessageBytes();
    if (text.length() > max
        || (text.length() * 3L > max && text.getBytes(StandardCharsets.UTF_8).length > max)) {
      close(CloseCodes.TOO_BIG, "message too big (max " + max + " bytes)");
      return;
    }
    // decoded first, so that every refusal of a readable frame can name the frame's id
    WireCodec.ClientFrame frame;
    try {
      frame = engine.codec().decode(text);
    } catch (InvalidInputException e) {
      sendError(e.getMessage(), e.frameId());
      return;
    }
    if (!canPublish) {
      sendError("this connection is receive-only", frame.id());
      return;
    }
    if (!engine.allows(identity, roomName, RoomAuthorizer.Action.PUBLISH)) {
      sendError("not allowed to publish in this room", frame.id());
      return;
    }
    if (frame.presenceRequest()) {
      if (inbound.tryTakeToken()) {
        engine.sendPresence(this);
      } else {
        sendError("presence requested too often; try again later", frame.id());
      }
      return;
    }
    inbound.offer(frame.content(), frame.id());
  }

  /** The token a reconnect presents to keep this client id, or {@code null} when off. */
  String resumeToken() {
    return resumeToken;
  }

  Transport transport() {
    return transport;
  }

  boolean wantsPresenceDiffs() {
    return presenceDiffs;
  }

  void wantPresenceDiffs() {
    presenceDiffs = true;
  }

  dev.roomcast.PresenceMember presenceEntry() {
    return new dev.roomcast.PresenceMember(
        clientId, identity.user(), identity.displayName(), joinedAt);
  }

  /** Messages of this connection waiting for the publish rate or the handler. */
  int inboundBacklog() {
    return inbound.backlog();
  }

  /** Refuses the client frame with {@code id} (compact JSON; {@code null} when it had none). */
  void sendError(String message, String id) {
    engine.counters().errors.increment();
    send(engine.codec().error(message, id));
  }

  @Override
  public void receiveBinary() {
    close(CloseCodes.UNSUPPORTED_DATA, "binary frames are not supported; send JSON text");
  }

  @Override
  public void transportClosed() {
    Room r = room;
    if (r != null && Thread.holdsLock(r)) {
      // Reported inline from a send made under the room's monitor (a container that tears the
      // connection down inside a failed write, as Grizzly does on a reset). Leaving takes the
      // registry, and the registry is taken before a room's monitor, never after: a join into
      // this room holding its registry entry and waiting for the monitor would deadlock with us.
      engine.transportClosedLater(this);
      return;
    }
    leaveOnTransportClose();
  }

  /** What {@link #transportClosed} does once it is safe to take the registry. */
  void leaveOnTransportClose() {
    if (closed.compareAndSet(false, true)) {
      outbox.shut();
      engine.leave(this);
    }
  }

  @Override
  public void close(int code, String reason) {
    if (closed.compareAndSet(false, true)) {
      closeCode = code;
      if (code == CloseCodes.POLICY_VIOLATION || code == CloseCodes.TOO_BIG) {
        inbound.discard();
      }
      outbox.shut();
      engine.leave(this);
      transport.close(code, reason);
    }
  }

  @Override
  public void onOverflow() {
    engine.slowConsumer(this);
  }

  @Override
  public void onBudgetExhausted() {
    engine.budgetExhausted(this);
  }

  @Override
  public void onWriteFailed(Throwable failure) {
    engine.transportClosedLater(this);
  }

  @Override
  public void onWritten(OutboundFrame frame) {
    Counters c = engine.counters();
    c.messagesOut.increment();
    c.bytesOut.add(frame.byteLength());
    long published = frame.publishedAtMillis();
    if (published > 0) {
      c.deliveryLatencyCount.increment();
      c.deliveryLatencyTotalMillis.add(Math.max(0, System.currentTimeMillis() - published));
    }
  }

  /** Who this member is. */
  public Identity identity() {
    return identity;
  }

  @Override
  public String toString() {
    return "Member{" + clientId + " in " + roomName + "}";
  }
}
