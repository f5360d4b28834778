package dev.roomcast.internal;

import dev.roomcast.AccessDeniedException;
import dev.roomcast.BackplaneUnavailableException;
import dev.roomcast.CloseCodes;
import dev.roomcast.Connection;
import dev.roomcast.Identity;
import dev.roomcast.JoinRejectedException;
import dev.roomcast.JoinRequest;
import dev.roomcast.Limits;
import dev.roomcast.MemberEvent;
import dev.roomcast.MessageHandler;
import dev.roomcast.MetricsSnapshot;
import dev.roomcast.NoticePolicy;
import dev.roomcast.OutboxLimits;
import dev.roomcast.Published;
import dev.roomcast.RoomAuthorizer;
import dev.roomcast.RoomNames;
import dev.roomcast.StreamPosition;
import dev.roomcast.spi.Backplane;
import dev.roomcast.spi.BackplaneListener;
import dev.roomcast.spi.BackplaneNode;
import dev.roomcast.spi.HistoryPage;
import dev.roomcast.spi.MessageDraft;
import dev.roomcast.spi.OutboundFrame;
import dev.roomcast.spi.RoomMessage;
import dev.roomcast.spi.RoomNotice;
import dev.roomcast.spi.Transport;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The hub's machinery behind {@link dev.roomcast.Hub}: room registry, joins and leaves, publish
 * path, resume catch-up, gap filling and backplane health.
 *
 * <p>Locking: the registry ({@link ConcurrentHashMap#compute}) is taken before a room's monitor,
 * never after it; nothing that takes the registry runs under a room's monitor (closes found there
 * are deferred to the hub's scheduler thread). No lock is held while waiting for I/O.
 */
public final class HubEngine implements BackplaneListener {
  private static final Logger LOG = Logger.getLogger("dev.roomcast.Hub");
  private static final int HISTORY_PAGE = 1000;
  private static final int MAX_CATCH_UP_ROUNDS = 5;

  private final String nodeId;
  private final String backplaneName;
  private final BackplaneNode node;
  private final WireCodec codec;
  private final Limits limits;
  private final OutboxLimits outboxLimits;
  private final NoticePolicy noticePolicy;
  private final Clock clock;
  private final Duration gapTimeout;
  private final Duration positionTimeout;
  private final RoomAuthorizer authorizer;
  private final Duration maxAge;
  private final Duration maxAgeJitter;
  private final MessageHandler messageHandler;
  private final Duration handlerTimeout;
  private final int maxHistoryOnJoin;
  private final ResumeTokens tokens;
  private final Duration resumeGrace;

  /** Members whose connection dropped, still in the room until their grace ends. */
  private final ConcurrentHashMap<String, GraceLeave> inGrace = new ConcurrentHashMap<>();

  private record GraceLeave(Room room, Member member, ScheduledFuture<?> timer) {}

  private final ScheduledThreadPoolExecutor scheduler;
  private final ConcurrentHashMap<String, Room> rooms = new ConcurrentHashMap<>();
  private final Counters counters = new Counters();
  private final OutboxBudget outboxBudget;
  private final AtomicBoolean reliefScheduled = new AtomicBoolean();
  private final AtomicLong clientSeq = new AtomicLong();
  private volatile boolean draining;
  private volatile boolean closed;
  private volatile boolean backplaneUp = true;

  public HubEngine(HubSettings settings) {
    String nodeId = settings.nodeId();
    Backplane backplane = settings.backplane();
    Limits limits = settings.limits();
    OutboxLimits outboxLimits = settings.outboxLimits();
    this.messageHandler = settings.messageHandler();
    this.handlerTimeout = settings.handlerTimeout();
    this.maxHistoryOnJoin = settings.maxHistoryOnJoin();
    this.resumeGrace = settings.resumeGrace();
    this.tokens = new ResumeTokens(settings.resumeSecret(), settings.clock(), Duration.ofHours(24));
    this.authorizer = settings.authorizer();
    this.maxAge = settings.maxAge();
    this.maxAgeJitter = settings.maxAgeJitter();
    this.noticePolicy = settings.noticePolicy();
    this.clock = settings.clock();
    this.gapTimeout = settings.gapTimeout();
    this.positionTimeout = settings.positionTimeout();
    this.nodeId = nodeId;
    this.limits = limits;
    this.outboxLimits = outboxLimits;
    this.outboxBudget = new OutboxBudget(outboxLimits.maxTotalBytes());
    this.codec = new WireCodec(limits.maxJsonDepth(), limits.maxContentBytes());
    this.scheduler =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread t = new Thread(r, "roomcast-hub-" + nodeId);
              t.setDaemon(true);
              return t;
            });
    scheduler.setRemoveOnCancelPolicy(true);
    this.backplaneName = backplane.name();
    this.node = backplane.attach(nodeId, this);
    this.backplaneUp = node.isHealthy();
  }

  // ---- accessors used by Room and Member

  WireCodec codec() {
    return codec;
  }

  public Limits limits() {
    return limits;
  }

  public OutboxLimits outboxLimits() {
    return outboxLimits;
  }

  Counters counters() {
    return counters;
  }

  /** Counts a connection attempt the hub's authenticator refused. */
  public void countRefusal() {
    counters.connectionsRejected.increment();
  }

  OutboxBudget outboxBudget() {
    return outboxBudget;
  }

  long nanoTime() {
    return System.nanoTime();
  }

  MessageHandler messageHandler() {
    return messageHandler;
  }

  Duration handlerTimeout() {
    return handlerTimeout;
  }

  public int maxHistoryOnJoin() {
    return maxHistoryOnJoin;
  }

  /** Runs {@code task} on the hub's scheduler after a delay; false when the hub is closed. */
  boolean scheduleNanos(Runnable task, long delayNanos) {
    try {
      scheduler.schedule(task, delayNanos, TimeUnit.NANOSECONDS);
      return true;
    } catch (java.util.concurrent.RejectedExecutionException e) {
      return false;
    }
  }

  int maxEarlyMessages() {
    return 10_000;
  }

  public String nodeId() {
    return nodeId;
  }

  public String backplaneName() {
    return backplaneName;
  }

  String now() {
    return Instant.now(clock).toString();
  }

  /** Whether the authorizer allows it; an authorizer that throws denies. */
  public boolean allows(Identity who, String room, RoomAuthorizer.Action action) {
    try {
      return authorizer.allows(who, room, action);
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "room authorizer failed; denying " + action + " in " + room, e);
      return false;
    }
  }

  // ---- joining and leaving

  public Connection join(JoinRequest request, Transport transport) {
    if (draining) {
      counters.connectionsRejected.increment();
      throw new JoinRejectedException(
          CloseCodes.SERVICE_RESTART, 503, "server is restarting; reconnect");
    }
    String roomName = RoomNames.require(request.room());
    if (!allows(request.identity(), roomName, RoomAuthorizer.Action.JOIN)) {
      counters.connectionsRejected.increment();
      throw new AccessDeniedException("not allowed to join this room");
    }
    if (counters.connections.incrementAndGet() > limits.maxConnections()) {
      counters.connections.decrementAndGet();
      counters.connectionsRejected.increment();
      throw new JoinRejectedException(
          CloseCodes.TRY_AGAIN_LATER, 503, "server is full; try again later");
    }
    try {
      int history =
          request.resumeFrom() == null ? Math.min(request.history(), maxHistoryOnJoin) : 0;
      return admit(
          roomName,
          request.resumeFrom(),
          request.canPublish(),
          request.identity(),
          history,
          request.resumeToken(),
          request.presenceDiffs(),
          transport);
    } catch (RuntimeException e) {
      counters.connections.decrementAndGet();
      counters.connectionsRejected.increment();
      throw e;
    }
  }

  private Member admit(
      String roomName,
      StreamPosition resumeFrom,
      boolean canPublish,
      Identity identity,
      int history,
      String resumeToken,
      boolean presenceDiffs,
      Transport transport) {
    String clientId = null;
    String refusal = null;
    if (resumeToken != null) {
      ResumeTokens.Check check = tokens.check(resumeToken, roomName, identity.user());
      clientId = check.clientId();
      refusal = check.refusal();
    }
    boolean sameClient = clientId != null;
    if (clientId == null) {
      clientId = "user-" + nodeId + "-" + Long.toString(clientSeq.incrementAndGet(), 36);
    }
    Member member = new Member(this, clientId, roomName, transport, canPublish, identity);
    member.resumeToken = tokens.issue(roomName, clientId, identity.user());
    member.tokenRefusal = refusal;
    StreamPosition prefetched = rooms.containsKey(roomName) ? null : fetchPosition(roomName);
    StreamPosition[] historyFrom = new StreamPosition[1];
    Room room =
        rooms.compute(
            roomName,
            (name, existing) -> {
              Room r = existing;
              if (r == null) {
                if (rooms.size() >= limits.maxRooms()) {
                  throw new JoinRejectedException(
                      CloseCodes.TRY_AGAIN_LATER, 503, "too many rooms; try again later");
                }
                r = new Room(name, this, prefetched);
                node.subscribe(name);
              }
              synchronized (r) {
                member.room = r;
                StreamPosition p = r.position();
                if (resumeFrom != null) {
                  member.holdFrames();
                } else if (history > 0 && p != null && p.offset() > 0) {
                  // Read the latest messages as a resume from just before them would.
                  historyFrom[0] = new StreamPosition(p.epoch(), Math.max(0, p.offset() - history));
                  member.holdFrames();
                } else {
                  member.send(
                      codec.welcome(
                          member.clientId(),
                          name,
                          now(),
                          p == null ? null : p.epoch(),
                          p == null ? 0 : p.offset(),
                          null,
                          identity,
                          member.resumeToken(),
                          member.tokenRefusal));
                }
                r.add(member);
              }
              return r;
            });
    counters.connectionsOpened.increment();
    scheduleMaxAge(member);
    if (presenceDiffs) {
      member.wantPresenceDiffs();
    }
    if (sameClient && takeOver(room, member)) {
      // Resumed within its grace here: nobody was told it left, so nobody is told it is back.
      node.presenceAdd(roomName, member.presenceEntry());
    } else if (sameClient && node.supportsPresence()) {
      // Resumed from another instance: quiet if that one still lists it (in its grace there).
      node.presence(roomName)
          .whenComplete(
              (list, error) -> {
                boolean listed = lists(list, member.clientId());
                node.presenceAdd(roomName, member.presenceEntry());
                if (!listed && member.isOpen()) {
                  announce(room, member, RoomNotice.Kind.JOIN);
                }
              });
    } else {
      node.presenceAdd(roomName, member.presenceEntry());
      if (!sameClient) {
        announce(room, member, RoomNotice.Kind.JOIN);
      }
    }
    if (presenceDiffs) {
      sendPresence(member);
    }
    tellHandler(true, new MemberEvent(identity, clientId, roomName, sameClient));
    if (resumeFrom != null) {
      catchUp(room, member, resumeFrom, new ArrayList<>(), resumeFrom.offset(), 0, Seam.RESUME);
    } else if (historyFrom[0] != null) {
      StreamPosition from = historyFrom[0];
      catchUp(room, member, from, new ArrayList<>(), from.offset(), 0, Seam.HISTORY);
    }
    if (draining) {
      // This join passed the draining check before drain() began, and its room may have become
      // visible in rooms only after drain() took its snapshot (a new room is inserted when compute
      // returns, after the welcome went out): close it as drain() would. Both sides write, then
      // read
      // the other's state, so at least one of them sees this member; close() is idempotent.
      closeForRestart(member);
    }
    return member;
  }

  /**
   * A connection resumed a client id: the old connection's grace ends without a leave notice, and
   * an old connection still open on this hub (a half-open socket, a second tab with the same token)
   * is closed with {@link CloseCodes#REPLACED}.
   */
  private boolean takeOver(Room room, Member member) {
    GraceLeave pending = inGrace.remove(graceKey(room.name, member.clientId()));
    if (pending != null) {
      pending.timer().cancel(false);
      member.joinedAt = pending.member().joinedAt;
    }
    boolean wasHere = pending != null;
    for (Member m : room.members()) {
      if (m != member && m.clientId().equals(member.clientId())) {
        m.replaced = true;
        member.joinedAt = m.joinedAt;
        wasHere = true;
        closeLater(m, CloseCodes.REPLACED, "replaced by a newer connection of this client");
      }
    }
    return wasHere;
  }

  private static String graceKey(String room, String clientId) {
    return room + "\n" + clientId;
  }

  private StreamPosition fetchPosition(String roomName) {
    if (!node.isHealthy()) {
      return null;
    }
    try {
      return node.position(roomName)
          .toCompletableFuture()
          .get(positionTimeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    } catch (Exception e) {
      // Unknown position: the room learns it from its first message.
      LOG.log(Level.FINE, "position of room " + roomName + " unavailable", e);
      return null;
    }
  }

  private void announce(Room room, Member member, RoomNotice.Kind kind) {
    if (!noticePolicy.appliesTo(room.size() + (kind == RoomNotice.Kind.LEAVE ? 1 : 0))) {
      return;
    }
    Identity who = member.identity();
    RoomNotice notice =
        new RoomNotice(
            room.name, kind, member.clientId(), now(), nodeId, who.user(), who.displayName());
    if (room.size() > 0) {
      room.broadcastNotice(notice, member);
    }
    node.publishNotice(notice);
  }

  private void scheduleMaxAge(Member member) {
    if (maxAge == null) {
      return;
    }
    long ageMs = maxAge.toMillis();
    long jitterMs = maxAgeJitter.toMillis();
    long at =
        ageMs
            - (jitterMs > 0
                ? java.util.concurrent.ThreadLocalRandom.current().nextLong(jitterMs)
                : 0);
    try {
      member.maxAgeTimer =
          scheduler.schedule(
              () -> member.close(CloseCodes.MAX_AGE, "connection max age reached: reconnect"),
              Math.max(1, at),
              TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      // hub closing
    }
  }

  void leave(Member member) {
    ScheduledFuture<?> timer = member.maxAgeTimer;
    if (timer != null) {
      timer.cancel(false);
    }
    Room room = member.room;
    if (room == null) {
      return;
    }
    boolean[] wasMember = new boolean[1];
    rooms.computeIfPresent(
        room.name,
        (name, r) -> {
          if (r != room) {
            return r;
          }
          wasMember[0] = true;
          if (r.remove(member)) {
            node.unsubscribe(name);
            return null;
          }
          return r;
        });
    if (wasMember[0]) {
      counters.connections.decrementAndGet();
      counters.connectionsClosed.increment();
      if (member.replaced) {
        return; // its successor holds the membership
      }
      int code = member.closeCode;
      boolean mayComeBack = code == 0 || !CloseCodes.isTerminal(code);
      if (mayComeBack && !resumeGrace.isZero() && !closed) {
        deferLeave(room, member);
      } else {
        left(room, member);
      }
    }
  }

  private void left(Room room, Member member) {
    node.presenceRemove(room.name, member.clientId());
    announce(room, member, RoomNotice.Kind.LEAVE);
    tellHandler(false, new MemberEvent(member.identity(), member.clientId(), room.name, false));
  }

  /**
   * The grace ended without a resume here. If another instance lists the client now, it resumed
   * there: its leave is not announced.
   */
  private void graceEnded(Room room, Member member) {
    if (!node.supportsPresence()) {
      left(room, member);
      return;
    }
    node.presenceRemove(room.name, member.clientId());
    node.presence(room.name)
        .whenComplete(
            (list, error) -> {
              boolean elsewhere = lists(list, member.clientId());
              if (!elsewhere) {
                left(room, member);
              }
            });
  }

  // ---- presence

  /** Whether a presence read (null when it failed) lists the client id. */
  private static boolean lists(List<dev.roomcast.PresenceMember> presence, String clientId) {
    return presence != null && presence.stream().anyMatch(m -> m.clientId().equals(clientId));
  }

  /**
   * Who is in the room across the backplane's instances (or on this hub, for a backplane without
   * presence). Fails for an invalid room name.
   */
  public CompletionStage<dev.roomcast.Presence> presence(String roomName, boolean withMembers) {
    String name;
    try {
      name = RoomNames.require(roomName);
    } catch (JoinRejectedException e) {
      return CompletableFuture.failedFuture(new IllegalArgumentException(e.getMessage()));
    }
    CompletionStage<List<dev.roomcast.PresenceMember>> members =
        node.supportsPresence()
            ? node.presence(name)
            : CompletableFuture.completedFuture(localPresence(name));
    return members.thenApply(
        list -> new dev.roomcast.Presence(name, list.size(), withMembers ? list : List.of()));
  }

  private List<dev.roomcast.PresenceMember> localPresence(String name) {
    List<dev.roomcast.PresenceMember> entries = new ArrayList<>();
    Room room = rooms.get(name);
    if (room != null) {
      for (Member m : room.members()) {
        entries.add(m.presenceEntry());
      }
    }
    for (GraceLeave g : inGrace.values()) {
      if (g.room().name.equals(name)) {
        entries.add(g.member().presenceEntry());
      }
    }
    return dev.roomcast.PresenceMember.roster(entries);
  }

  /** Answers a member's presence request (after its welcome and any history it waits for). */
  void sendPresence(Member member) {
    presence(member.room(), true)
        .whenComplete(
            (p, error) -> {
              Room room = member.room;
              if (room == null) {
                return;
              }
              OutboundFrame frame =
                  error == null ? codec.presence(p) : codec.error("presence unavailable");
              synchronized (room) {
                member.deliver(frame);
              }
            });
  }

  /** Announces the leave only if the client has not resumed within the grace. */
  private void deferLeave(Room room, Member member) {
    String key = graceKey(room.name, member.clientId());
    CompletableFuture<GraceLeave> self = new CompletableFuture<>();
    try {
      ScheduledFuture<?> timer =
          scheduler.schedule(
              () -> {
                GraceLeave g = self.join();
                if (inGrace.remove(key, g)) {
                  graceEnded(room, member);
                }
              },
              resumeGrace.toMillis(),
              TimeUnit.MILLISECONDS);
      GraceLeave g = new GraceLeave(room, member, timer);
      GraceLeave previous = inGrace.put(key, g);
      self.complete(g);
      if (previous != null) {
        previous.timer().cancel(false);
      }
    } catch (java.util.concurrent.RejectedExecutionException e) {
      left(room, member); // hub closing
    }
  }

  private void tellHandler(boolean join, MemberEvent event) {
    try {
      if (join) {
        messageHandler.onJoin(event);
      } else {
        messageHandler.onLeave(event);
      }
    } catch (RuntimeException e) {
      counters.handlerFailures.increment();
      LOG.log(Level.WARNING, "message handler failed on " + (join ? "join" : "leave"), e);
    }
  }

  void slowConsumer(Member m) {
    counters.slowConsumersClosed.increment();
    closeLater(m, CloseCodes.SLOW_CONSUMER, "slow consumer");
  }

  /**
   * A member's frame found no room in the hub-wide budget: close it like a slow consumer, and shed
   * the connections holding the most so that the next frames find room again.
   */
  void budgetExhausted(Member m) {
    counters.budgetClosed.increment();
    slowConsumer(m);
    if (reliefScheduled.compareAndSet(false, true)) {
      runLater(this::relieveOutboxBudget);
    }
  }

  /**
   * Closes the members with the largest queues (4000, resumable) until the budget is three quarters
   * full at most. Runs on the scheduler; a scan of every member, which is why it runs once per
   * exhaustion rather than per frame. A member with at most one frame queued is a reader that keeps
   * up and is left alone.
   */
  private void relieveOutboxBudget() {
    try {
      long target = outboxBudget.limit() / 4 * 3;
      if (outboxBudget.held() <= target) {
        return;
      }
      List<Member> heavy = new ArrayList<>();
      for (Room room : rooms.values()) {
        for (Member m : room.members()) {
          if (m.outbox().queuedFrames() > 1) {
            heavy.add(m);
          }
        }
      }
      heavy.sort((a, b) -> Long.compare(b.outbox().queuedBytes(), a.outbox().queuedBytes()));
      for (Member m : heavy) {
        if (outboxBudget.held() <= target) {
          break;
        }
        counters.budgetClosed.increment();
        counters.slowConsumersClosed.increment();
        m.close(CloseCodes.SLOW_CONSUMER, "slow consumer");
      }
    } finally {
      reliefScheduled.set(false);
    }
  }

  void closeLater(Member m, int code, String reason) {
    runLater(() -> m.close(code, reason));
  }

  void transportClosedLater(Member m) {
    // not m::transportClosed: run inline after the scheduler stopped, that would defer again
    runLater(m::leaveOnTransportClose);
  }

  private void runLater(Runnable r) {
    try {
      scheduler.execute(r);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      r.run(); // hub closed: nothing else runs on the scheduler, so there is no lock to fear
    }
  }

  // ---- resume

  /**
   * Reads the history a resuming member missed and queues it in front of the live frames held since
   * it joined. Runs as a chain of asynchronous history reads; the member's frames are held until
   * the chain ends, so nothing live overtakes history and nothing is sent twice.
   */
  private void catchUp(
      Room room,
      Member member,
      StreamPosition from,
      List<RoomMessage> recovered,
      long after,
      int round,
      Seam seam) {
    node.readHistory(room.name, from.epoch(), after, HISTORY_PAGE)
        .whenComplete(
            (page, error) -> {
              if (error == null
                  && !page.complete()
                  && seam == Seam.RESUME
                  && page.epoch() != null
                  && !page.epoch().equals(from.epoch())) {
                // The room's history was reset (state lost): what it holds now is all new to
                // this client, so replay the current epoch from its start.
                StreamPosition start = new StreamPosition(page.epoch(), 0);
                catchUp(room, member, start, new ArrayList<>(), 0, 0, Seam.EPOCH_CHANGED);
                return;
              }
              if (error != null || !page.complete()) {
                finishCatchUp(room, member, from, false, List.of(), page, seam);
                return;
              }
              recovered.addAll(page.messages());
              long last = recovered.isEmpty() ? from.offset() : lastOffset(recovered);
              if (page.messages().size() >= HISTORY_PAGE && last < page.headOffset()) {
                catchUp(room, member, from, recovered, last, round, seam);
                return;
              }
              long firstHeld;
              synchronized (room) {
                firstHeld = firstHeldOffset(member);
              }
              // No live frame held (a quiet room) means nothing came after what history gave.
              boolean liveAhead = firstHeld != Long.MAX_VALUE && firstHeld > last + 1;
              if (liveAhead && round < MAX_CATCH_UP_ROUNDS) {
                // Live traffic is ahead of what history had when we read it: read the rest.
                catchUp(room, member, from, recovered, last, round + 1, seam);
                return;
              }
              finishCatchUp(room, member, from, !liveAhead, recovered, page, seam);
            });
  }

  /** Why a member's live frames are held while history is read in front of them. */
  private enum Seam {
    /** A reconnect from a position: {@code recovered} says whether nothing was missed. */
    RESUME,
    /** A resume whose epoch is gone: {@code recovered: false}, then the current epoch's start. */
    EPOCH_CHANGED,
    /** A fresh join asking for recent history: no {@code recovered} field. */
    HISTORY
  }

  private static long lastOffset(List<RoomMessage> messages) {
    return messages.get(messages.size() - 1).offset();
  }

  private static long firstHeldOffset(Member member) {
    return member.seam().firstHeldOffset();
  }

  private void finishCatchUp(
      Room room,
      Member member,
      StreamPosition from,
      boolean complete,
      List<RoomMessage> missed,
      HistoryPage page,
      Seam seam) {
    synchronized (room) {
      if (!member.isCatchingUp()) {
        return; // closed while catching up
      }
      StreamPosition roomPos = room.position();
      String epoch = page != null ? page.epoch() : roomPos != null ? roomPos.epoch() : from.epoch();
      long welcomeOffset;
      if (complete) {
        welcomeOffset = from.offset();
      } else {
        long firstHeld = firstHeldOffset(member);
        welcomeOffset =
            firstHeld != Long.MAX_VALUE
                ? firstHeld - 1
                : roomPos != null ? roomPos.offset() : page != null ? page.headOffset() : 0;
      }
      Boolean outcome = seam == Seam.HISTORY ? null : seam == Seam.RESUME && complete;
      if (Boolean.TRUE.equals(outcome)) {
        counters.resumesRecovered.increment();
      } else if (Boolean.FALSE.equals(outcome)) {
        counters.resumesNotRecovered.increment();
      }
      member.send(
          codec.welcome(
              member.clientId(),
              room.name,
              now(),
              epoch,
              welcomeOffset,
              outcome,
              member.identity(),
              member.resumeToken(),
              member.tokenRefusal));
      long last = welcomeOffset;
      if (complete) {
        for (RoomMessage m : missed) {
          if (m.offset() > last) {
            member.send(codec.message(m));
            last = m.offset();
          }
        }
      }
      for (OutboundFrame f : member.seam().finish(epoch, last)) {
        member.deliver(f); // skips what history already covered
      }
    }
  }

  // ---- publishing

  /** Publishes a client's message; a refusal names the client's frame {@code id} (or none). */
  void publishFrom(Member member, String contentJson, String id) {
    Identity who = member.identity();
    MessageDraft draft =
        new MessageDraft(
            member.room(),
            member.clientId(),
            contentJson,
            now(),
            nodeId,
            who.user(),
            who.displayName());
    publishDraft(draft, null)
        .whenComplete(
            (published, error) -> {
              if (error != null) {
                member.sendError(publicMessage(error), id);
              }
            });
  }

  /**
   * Application-side publish: validates and compacts the content, then publishes. {@code except},
   * if not null, is a local connection that does not get this message live (it is still in
   * history).
   */
  public CompletionStage<Published> publish(
      String roomName, String contentJson, String sender, Connection except) {
    String room;
    String content;
    try {
      room = RoomNames.require(roomName);
      content = codec.normalizeContent(contentJson);
    } catch (InvalidInputException e) {
      return CompletableFuture.failedFuture(new IllegalArgumentException(e.getMessage()));
    } catch (JoinRejectedException e) {
      return CompletableFuture.failedFuture(new IllegalArgumentException(e.getMessage()));
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
    Member skip = except instanceof Member ? (Member) except : null;
    return publishDraft(new MessageDraft(room, sender, content, now(), nodeId), skip);
  }

  private CompletionStage<Published> publishDraft(MessageDraft draft, Member except) {
    counters.messagesIn.increment();
    CompletionStage<RoomMessage> stored;
    try {
      stored = node.publish(draft);
    } catch (RuntimeException e) {
      stored = CompletableFuture.failedFuture(e);
    }
    return stored.handle(
        (m, error) -> {
          if (error != null) {
            counters.publishFailures.increment();
            throw error instanceof CompletionException
                ? (CompletionException) error
                : new CompletionException(error);
          }
          Room room = rooms.get(m.room());
          if (room != null) {
            room.offer(m, except);
          }
          return new Published(m.room(), m.epoch(), m.offset());
        });
  }

  private static String publicMessage(Throwable error) {
    Throwable e =
        error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    if (e instanceof BackplaneUnavailableException) {
      return "message not delivered: " + e.getMessage();
    }
    return "message not delivered: server error";
  }

  // ---- sequencing support

  ScheduledFuture<?> scheduleGapFill(Room room) {
    try {
      return scheduler.schedule(() -> fillGap(room), gapTimeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      return null;
    }
  }

  private void fillGap(Room room) {
    String epoch;
    long after;
    synchronized (room) {
      room.gapTimer = null;
      if (!room.hasGap()) {
        return;
      }
      epoch = room.epoch();
      after = room.lastDelivered();
    }
    node.readHistory(room.name, epoch, after, HISTORY_PAGE)
        .whenComplete(
            (page, error) -> {
              synchronized (room) {
                if (error == null && page.complete()) {
                  for (RoomMessage m : page.messages()) {
                    room.offer(m);
                  }
                }
                if (room.hasGap()) {
                  room.skipGap();
                }
              }
            });
  }

  // ---- BackplaneListener

  @Override
  public void onMessage(RoomMessage message) {
    Room room = rooms.get(message.room());
    if (room != null) {
      room.offer(message);
    }
  }

  @Override
  public void onNotice(RoomNotice notice) {
    Room room = rooms.get(notice.room());
    if (room != null && noticePolicy.appliesTo(room.size())) {
      room.broadcastNotice(notice, null);
    }
  }

  @Override
  public void onLost(Throwable cause) {
    if (backplaneUp) {
      backplaneUp = false;
      counters.backplaneOutages.increment();
      LOG.log(Level.WARNING, "backplane " + backplaneName + " lost: " + cause);
    }
  }

  @Override
  public void onRestored() {
    backplaneUp = true;
    LOG.info("backplane " + backplaneName + " restored; catching up " + rooms.size() + " rooms");
    for (Room room : rooms.values()) {
      resync(room);
    }
  }

  /** After an outage: deliver what the room missed, or move on honestly if history is gone. */
  private void resync(Room room) {
    String epoch;
    long after;
    synchronized (room) {
      epoch = room.epoch();
      after = room.lastDelivered();
    }
    if (epoch == null) {
      node.position(room.name)
          .whenComplete(
              (p, e) -> {
                if (p != null) {
                  synchronized (room) {
                    if (room.epoch() == null) {
                      room.moveTo(p.epoch(), p.offset());
                    }
                  }
                }
              });
      return;
    }
    node.readHistory(room.name, epoch, after, HISTORY_PAGE)
        .whenComplete(
            (page, error) -> {
              if (error != null) {
                return;
              }
              synchronized (room) {
                if (page.complete()) {
                  for (RoomMessage m : page.messages()) {
                    room.offer(m);
                  }
                } else if (epoch.equals(room.epoch())) {
                  if (page.epoch().equals(room.epoch())) {
                    counters.gapsSkipped.add(Math.max(0, page.headOffset() - room.lastDelivered()));
                  }
                  room.moveTo(page.epoch(), page.headOffset());
                }
              }
              if (page.complete()
                  && page.messages().size() >= HISTORY_PAGE
                  && lastOffset(page.messages()) < page.headOffset()) {
                resync(room);
              }
            });
  }

  // ---- state

  public boolean isReady() {
    return !draining && !closed && backplaneUp && node.isHealthy();
  }

  public boolean isBackplaneUp() {
    return backplaneUp && node.isHealthy();
  }

  public boolean isDraining() {
    return draining;
  }

  public MetricsSnapshot metrics() {
    return counters.snapshot(rooms.size(), isBackplaneUp(), outboxBudget.held());
  }

  public Map<String, Integer> roomSizes() {
    TreeMap<String, Integer> sizes = new TreeMap<>();
    rooms.forEach((name, room) -> sizes.put(name, room.size()));
    return Collections.unmodifiableMap(sizes);
  }

  public int roomCount() {
    return rooms.size();
  }

  public int roomSize(String name) {
    Room r = rooms.get(name);
    return r == null ? 0 : r.size();
  }

  public StreamPosition roomPosition(String name) {
    Room r = rooms.get(name);
    return r == null ? null : r.position();
  }

  // ---- shutdown

  /**
   * Refuses new joins and closes every connection with 1012, spread evenly over {@code spread} so
   * clients do not reconnect in one stampede.
   */
  public CompletableFuture<Void> drain(Duration spread) {
    draining = true;
    List<Member> all = new ArrayList<>();
    for (Room room : rooms.values()) {
      Collections.addAll(all, room.members());
    }
    if (all.isEmpty()) {
      return CompletableFuture.completedFuture(null);
    }
    CompletableFuture<Void> done = new CompletableFuture<>();
    AtomicLong remaining = new AtomicLong(all.size());
    long stepNanos = spread.toNanos() / all.size();
    for (int i = 0; i < all.size(); i++) {
      Member m = all.get(i);
      Runnable closeOne =
          () -> {
            try {
              closeForRestart(m);
            } finally {
              if (remaining.decrementAndGet() == 0) {
                done.complete(null);
              }
            }
          };
      try {
        scheduler.schedule(closeOne, stepNanos * i, TimeUnit.NANOSECONDS);
      } catch (java.util.concurrent.RejectedExecutionException e) {
        closeOne.run();
      }
    }
    return done;
  }

  private static void closeForRestart(Member m) {
    m.close(CloseCodes.SERVICE_RESTART, "service restart: reconnect");
  }

  /** Closes every remaining connection with 1001, detaches from the backplane, stops threads. */
  public void close() {
    if (closed) {
      return;
    }
    draining = true;
    closed = true;
    for (Room room : rooms.values()) {
      for (Member m : room.members()) {
        m.close(CloseCodes.GOING_AWAY, "server shutting down");
      }
    }
    scheduler.shutdownNow();
    try {
      node.close();
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "backplane close failed", e);
    }
  }
}
