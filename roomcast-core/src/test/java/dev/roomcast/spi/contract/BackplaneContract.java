package dev.roomcast.spi.contract;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.roomcast.BackplaneUnavailableException;
import dev.roomcast.Hub;
import dev.roomcast.JoinRequest;
import dev.roomcast.Limits;
import dev.roomcast.StreamPosition;
import dev.roomcast.spi.Backplane;
import dev.roomcast.spi.BackplaneListener;
import dev.roomcast.spi.BackplaneNode;
import dev.roomcast.spi.HistoryPage;
import dev.roomcast.spi.MessageDraft;
import dev.roomcast.spi.RoomMessage;
import dev.roomcast.spi.RoomNotice;
import dev.roomcast.testing.RecordingTransport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link Backplane} must pass. A backplane module extends this class and
 * provides {@link #newBackplane()}; each call must give a backplane over the SAME shared medium
 * (for Redis: the same server), so two calls act like two instances.
 *
 * <p>The second half is about failure: {@link #outage()} makes the medium unreachable for real
 * (kill the server, every shard, every Cluster node) and {@link #restore()} brings it back, maybe
 * empty. Through that, a node must report {@code onLost} exactly once, fail publishes and reads
 * fast while down, report {@code onRestored} exactly once and only when its live rooms are
 * subscribed again, keep the order of subscribe and unsubscribe, and close within a bound.
 */
public abstract class BackplaneContract {
  private static final Duration WAIT = Duration.ofSeconds(10);

  private final List<AutoCloseable> closeables = new ArrayList<>();

  /** A backplane on the shared medium. Called several times per test. */
  protected abstract Backplane newBackplane();

  /** Longest history a backplane keeps per room, as configured by {@link #newBackplane()}. */
  protected abstract int historySize();

  /**
   * Makes the shared medium unreachable for every attached node, the way it fails in production
   * (for a server: SIGKILL). Returns once the outage has begun; nodes notice it themselves.
   */
  protected abstract void outage() throws Exception;

  /** Ends the outage of {@link #outage()}; the medium may come back without its data. */
  protected abstract void restore() throws Exception;

  @AfterEach
  void closeAll() throws Exception {
    for (int i = closeables.size() - 1; i >= 0; i--) {
      closeables.get(i).close();
    }
  }

  protected static String uniqueRoom() {
    return "contract-" + UUID.randomUUID().toString().substring(0, 8);
  }

  private <T extends AutoCloseable> T track(T c) {
    closeables.add(c);
    return c;
  }

  private BackplaneNode node(Backplane b, String id, Recorder listener) {
    return track(b.attach(id, listener));
  }

  private static MessageDraft draft(String room, String node, int i) {
    return new MessageDraft(
        room, "user-" + node, "{\"i\":" + i + "}", "2026-01-01T00:00:00Z", node);
  }

  /** Records what a node's listener receives. */
  protected static final class Recorder implements BackplaneListener {
    final List<RoomMessage> messages = new CopyOnWriteArrayList<>();
    final List<RoomNotice> notices = new CopyOnWriteArrayList<>();
    final AtomicInteger lost = new AtomicInteger();
    final AtomicInteger restored = new AtomicInteger();
    final List<String> health = new CopyOnWriteArrayList<>();

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
      lost.incrementAndGet();
      health.add("lost");
    }

    @Override
    public void onRestored() {
      restored.incrementAndGet();
      health.add("restored");
    }
  }

  private static void eventually(Runnable assertion) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (true) {
      try {
        assertion.run();
        return;
      } catch (AssertionError e) {
        if (System.nanoTime() > deadline) {
          throw e;
        }
        Thread.sleep(10);
      }
    }
  }

  @Test
  void publishAssignsConsecutiveOffsetsStartingAfterThePosition() throws Exception {
    BackplaneNode a = node(newBackplane(), "nodea", new Recorder());
    String room = uniqueRoom();
    StreamPosition start = a.position(room).toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertThat(start.offset()).isZero();
    for (int i = 1; i <= 5; i++) {
      RoomMessage m = a.publish(draft(room, "nodea", i)).toCompletableFuture().get();
      assertThat(m.offset()).isEqualTo(i);
      assertThat(m.epoch()).isEqualTo(start.epoch());
      assertThat(m.contentJson()).isEqualTo("{\"i\":" + i + "}");
    }
    assertThat(a.position(room).toCompletableFuture().get())
        .isEqualTo(new StreamPosition(start.epoch(), 5));
  }

  @Test
  void concurrentPublishersFromTwoNodesGetDistinctContiguousOffsets() throws Exception {
    Backplane b1 = newBackplane();
    Backplane b2 = newBackplane();
    BackplaneNode a = node(b1, "nodea", new Recorder());
    BackplaneNode b = node(b2, "nodeb", new Recorder());
    String room = uniqueRoom();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<RoomMessage>> futures = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        BackplaneNode n = i % 2 == 0 ? a : b;
        int k = i;
        futures.add(pool.submit(() -> n.publish(draft(room, "x", k)).toCompletableFuture().get()));
      }
      Set<Long> offsets = ConcurrentHashMap.newKeySet();
      for (Future<RoomMessage> f : futures) {
        offsets.add(f.get(30, TimeUnit.SECONDS).offset());
      }
      assertThat(offsets).hasSize(200);
      assertThat(offsets.stream().mapToLong(Long::longValue).min().getAsLong()).isEqualTo(1);
      assertThat(offsets.stream().mapToLong(Long::longValue).max().getAsLong()).isEqualTo(200);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void subscribedOtherNodesReceiveInOrderButNeverThePublisherItself() throws Exception {
    Recorder ra = new Recorder();
    Recorder rb = new Recorder();
    Recorder rc = new Recorder();
    BackplaneNode a = node(newBackplane(), "nodea", ra);
    BackplaneNode b = node(newBackplane(), "nodeb", rb);
    node(newBackplane(), "nodec", rc); // not subscribed
    String room = uniqueRoom();
    a.subscribe(room);
    b.subscribe(room);
    awaitSubscribed(room, ra, rb);
    for (int i = 1; i <= 50; i++) {
      a.publish(draft(room, "nodea", i)).toCompletableFuture().get();
    }
    eventually(() -> assertThat(rb.messages).hasSize(50));
    for (int i = 0; i < 50; i++) {
      assertThat(rb.messages.get(i).offset()).isEqualTo(i + 1);
      assertThat(rb.messages.get(i).originNode()).isEqualTo("nodea");
    }
    assertThat(ra.messages).as("own messages are not echoed").isEmpty();
    assertThat(rc.messages).as("unsubscribed node").isEmpty();
  }

  /**
   * Subscriptions may take effect asynchronously: a third node publishes probe notices until every
   * recorder saw one, so the test starts from a subscribed state. The probes are then forgotten.
   */
  private void awaitSubscribed(String room, Recorder... recorders) throws Exception {
    BackplaneNode probe = node(newBackplane(), "probe", new Recorder());
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (true) {
      boolean all = true;
      for (Recorder r : recorders) {
        all &= !r.notices.isEmpty();
      }
      if (all) {
        break;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("subscription did not take effect within " + WAIT);
      }
      probe.publishNotice(
          new RoomNotice(room, RoomNotice.Kind.JOIN, "probe", "2026-01-01T00:00:00Z", "probe"));
      Thread.sleep(20);
    }
    for (Recorder r : recorders) {
      r.notices.clear();
    }
  }

  @Test
  void noticesReachOtherSubscribedNodesAndAreNotStored() throws Exception {
    Recorder ra = new Recorder();
    Recorder rb = new Recorder();
    BackplaneNode a = node(newBackplane(), "nodea", ra);
    BackplaneNode b = node(newBackplane(), "nodeb", rb);
    String room = uniqueRoom();
    b.subscribe(room);
    RoomNotice n =
        new RoomNotice(room, RoomNotice.Kind.JOIN, "user-1", "2026-01-01T00:00:00Z", "nodea");
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (rb.notices.isEmpty() && System.nanoTime() < deadline) {
      a.publishNotice(n);
      Thread.sleep(20);
    }
    assertThat(rb.notices).isNotEmpty();
    assertThat(rb.notices.get(0)).isEqualTo(n);
    assertThat(ra.notices).isEmpty();
    StreamPosition p = a.position(room).toCompletableFuture().get();
    assertThat(p.offset()).as("notices take no offset").isZero();
  }

  @Test
  void unsubscribedNodeStopsReceiving() throws Exception {
    Recorder rb = new Recorder();
    BackplaneNode a = node(newBackplane(), "nodea", new Recorder());
    BackplaneNode b = node(newBackplane(), "nodeb", rb);
    String room = uniqueRoom();
    b.subscribe(room);
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (rb.messages.isEmpty() && System.nanoTime() < deadline) {
      a.publish(draft(room, "nodea", 0)).toCompletableFuture().get();
      Thread.sleep(20);
    }
    assertThat(rb.messages).isNotEmpty();
    b.unsubscribe(room);
    // Unsubscribe may be asynchronous; after a round trip through the backplane it must hold.
    b.position(room).toCompletableFuture().get();
    Thread.sleep(200); // let any in-flight delivery land before we take the baseline
    int before = rb.messages.size();
    for (int i = 0; i < 10; i++) {
      a.publish(draft(room, "nodea", i)).toCompletableFuture().get();
    }
    Thread.sleep(300); // negative check: nothing may arrive
    assertThat(rb.messages).hasSize(before);
  }

  @Test
  void historyReturnsExactlyTheMessagesAfterAnOffset() throws Exception {
    BackplaneNode a = node(newBackplane(), "nodea", new Recorder());
    BackplaneNode b = node(newBackplane(), "nodeb", new Recorder());
    String room = uniqueRoom();
    List<RoomMessage> sent = new ArrayList<>();
    for (int i = 1; i <= 20; i++) {
      sent.add(a.publish(draft(room, "nodea", i)).toCompletableFuture().get());
    }
    String epoch = sent.get(0).epoch();
    HistoryPage page = b.readHistory(room, epoch, 12, 1000).toCompletableFuture().get();
    assertThat(page.complete()).isTrue();
    assertThat(page.epoch()).isEqualTo(epoch);
    assertThat(page.headOffset()).isEqualTo(20);
    assertThat(page.messages()).containsExactlyElementsOf(sent.subList(12, 20));

    HistoryPage limited = b.readHistory(room, epoch, 0, 5).toCompletableFuture().get();
    assertThat(limited.complete()).isTrue();
    assertThat(limited.messages()).containsExactlyElementsOf(sent.subList(0, 5));

    HistoryPage upToDate = b.readHistory(room, epoch, 20, 1000).toCompletableFuture().get();
    assertThat(upToDate.complete()).isTrue();
    assertThat(upToDate.messages()).isEmpty();
  }

  @Test
  void historyWithAnotherEpochOrTooOldIsNotRecoverable() throws Exception {
    BackplaneNode a = node(newBackplane(), "nodea", new Recorder());
    String room = uniqueRoom();
    int n = historySize() * 2 + 10;
    RoomMessage last = null;
    for (int i = 1; i <= n; i++) {
      last = a.publish(draft(room, "nodea", i)).toCompletableFuture().get();
    }
    HistoryPage wrongEpoch =
        a.readHistory(room, "not-" + last.epoch(), 0, 1000).toCompletableFuture().get();
    assertThat(wrongEpoch.complete()).isFalse();
    assertThat(wrongEpoch.epoch()).isEqualTo(last.epoch());
    HistoryPage tooOld = a.readHistory(room, last.epoch(), 0, 1000).toCompletableFuture().get();
    assertThat(tooOld.complete()).as("history was trimmed").isFalse();
    HistoryPage ahead = a.readHistory(room, last.epoch(), n + 5, 1000).toCompletableFuture().get();
    assertThat(ahead.complete()).as("an offset beyond the head").isFalse();
    HistoryPage recent = a.readHistory(room, last.epoch(), n - 3, 1000).toCompletableFuture().get();
    assertThat(recent.complete()).isTrue();
    assertThat(recent.messages())
        .extracting(RoomMessage::offset)
        .containsExactly((long) n - 2, (long) n - 1, (long) n);
  }

  @Test
  void twoHubsShareARoomAndEveryMemberGetsEachMessageOnceInOrder() throws Exception {
    Limits unlimited = Limits.defaults().withPublishRate(1e9, 1_000_000);
    Hub h1 = track(Hub.builder().backplane(newBackplane()).limits(unlimited).build());
    Hub h2 = track(Hub.builder().backplane(newBackplane()).limits(unlimited).build());
    String room = uniqueRoom();
    RecordingTransport t1 = new RecordingTransport();
    RecordingTransport t2 = new RecordingTransport();
    var c1 = h1.join(JoinRequest.to(room), t1);
    var c2 = h2.join(JoinRequest.to(room), t2);
    // the join on h2 is announced on h1 once the subscription is live
    t1.await(fs -> fs.stream().anyMatch(f -> f.text().contains(c2.clientId() + " joined")), WAIT);
    int n = 300;
    for (int i = 0; i < n; i++) {
      (i % 2 == 0 ? c1 : c2).receiveText("{\"content\":" + i + "}");
    }
    t1.awaitType("message", n, WAIT);
    t2.awaitType("message", n, WAIT);
    for (RecordingTransport t : List.of(t1, t2)) {
      List<JsonNode> msgs = t.ofType("message");
      assertThat(msgs).hasSize(n);
      for (int i = 0; i < n; i++) {
        assertThat(msgs.get(i).get("offset").asLong()).isEqualTo(i + 1);
      }
    }
    assertThat(t1.ofType("message")).isEqualTo(t2.ofType("message"));
    c2.close(1000, "bye");
    t1.await(fs -> fs.stream().anyMatch(f -> f.text().contains(c2.clientId() + " left")), WAIT);
  }

  // ---- the failure half

  /** Fails the test unless the stage fails with BackplaneUnavailableException within 1 s. */
  private static void failsFast(CompletionStage<?> stage, String what) throws Exception {
    long t0 = System.nanoTime();
    try {
      stage.toCompletableFuture().get(1, TimeUnit.SECONDS);
      throw new AssertionError(what + " succeeded while the backplane was down");
    } catch (ExecutionException e) {
      assertThat(e.getCause()).as(what).isInstanceOf(BackplaneUnavailableException.class);
    }
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).as(what).isLessThan(Duration.ofSeconds(1));
  }

  /** Waits until a live room of {@code to} hears messages from {@code from} again. */
  private static void awaitFlowing(BackplaneNode from, Recorder to, String room, String node)
      throws Exception {
    int before = to.messages.size();
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (to.messages.size() == before) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("no message reached the subscriber within " + WAIT);
      }
      try {
        from.publish(draft(room, node, 0)).toCompletableFuture().get(5, TimeUnit.SECONDS);
      } catch (ExecutionException e) {
        // not everything is back yet
      }
      Thread.sleep(20);
    }
  }

  @Test
  void anOutageIsReportedOnceAndEverythingFailsFastUntilItIsRestored() throws Exception {
    Recorder ra = new Recorder();
    BackplaneNode a = node(newBackplane(), "nodea", ra);
    String room = uniqueRoom();
    a.subscribe(room);
    a.publish(draft(room, "nodea", 1)).toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertThat(a.isHealthy()).isTrue();
    assertThat(ra.lost.get()).isZero();

    outage();
    eventually(() -> assertThat(ra.lost.get()).isEqualTo(1));
    assertThat(a.isHealthy()).isFalse();
    failsFast(a.publish(draft(room, "nodea", 2)), "publish");
    failsFast(a.readHistory(room, null, 0, 10), "readHistory");
    failsFast(a.position(room), "position");
    a.publishNotice( // best effort: must neither throw nor hang
        new RoomNotice(room, RoomNotice.Kind.JOIN, "u", "2026-01-01T00:00:00Z", "nodea"));
    Thread.sleep(500); // while it keeps failing to reconnect, no second onLost
    assertThat(ra.lost.get()).as("onLost once per outage").isEqualTo(1);
    assertThat(ra.restored.get()).isZero();

    restore();
    eventually(() -> assertThat(ra.restored.get()).isEqualTo(1));
    assertThat(a.isHealthy()).isTrue();
    a.publish(draft(room, "nodea", 3)).toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertThat(ra.health).containsExactly("lost", "restored");
  }

  @Test
  void onRestoredComesOnlyOnceLiveRoomsAreSubscribedAgain() throws Exception {
    Recorder ra = new Recorder();
    Recorder rb = new Recorder();
    BackplaneNode a = node(newBackplane(), "nodea", ra);
    BackplaneNode b = node(newBackplane(), "nodeb", rb);
    String before = uniqueRoom();
    String during = uniqueRoom();
    b.subscribe(before);
    awaitSubscribed(before, rb);

    outage();
    eventually(() -> assertThat(rb.lost.get()).isEqualTo(1));
    b.subscribe(during); // asked while down: must hold once back
    restore();
    eventually(
        () -> {
          assertThat(ra.restored.get()).isEqualTo(1);
          assertThat(rb.restored.get()).isEqualTo(1);
        });
    // right after onRestored, without subscribing again, both rooms receive
    for (String room : List.of(before, during)) {
      int n = rb.messages.size();
      RoomMessage m =
          a.publish(draft(room, "nodea", 7)).toCompletableFuture().get(10, TimeUnit.SECONDS);
      eventually(() -> assertThat(rb.messages).hasSize(n + 1));
      assertThat(rb.messages.get(n)).isEqualTo(m);
    }
  }

  @Test
  void theLastSubscribeOrUnsubscribeWins() throws Exception {
    Recorder rb = new Recorder();
    BackplaneNode a = node(newBackplane(), "nodea", new Recorder());
    BackplaneNode b = node(newBackplane(), "nodeb", rb);
    String room = uniqueRoom();
    for (int i = 0; i < 30; i++) {
      b.subscribe(room);
      b.unsubscribe(room);
    }
    b.subscribe(room);
    awaitFlowing(a, rb, room, "nodea");
    for (int i = 0; i < 30; i++) {
      b.unsubscribe(room);
      b.subscribe(room);
    }
    b.unsubscribe(room);
    b.position(room).toCompletableFuture().get(10, TimeUnit.SECONDS); // a round trip
    Thread.sleep(200); // let in-flight deliveries land before the baseline
    int n = rb.messages.size();
    for (int i = 0; i < 10; i++) {
      a.publish(draft(room, "nodea", i)).toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
    Thread.sleep(300); // negative check: nothing may arrive
    assertThat(rb.messages).as("unsubscribed last").hasSize(n);
  }

  @Test
  void closeIsBoundedEvenWhileTheBackplaneIsDown() throws Exception {
    Recorder ra = new Recorder();
    BackplaneNode a = newBackplane().attach("nodea", ra);
    String room = uniqueRoom();
    a.subscribe(room);
    outage();
    try {
      eventually(() -> assertThat(ra.lost.get()).isEqualTo(1));
      CompletionStage<RoomMessage> pending = a.publish(draft(room, "nodea", 1));
      long t0 = System.nanoTime();
      a.close();
      assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(3));
      assertThat(a.isHealthy()).isFalse();
      assertThat(pending.toCompletableFuture().isDone()).as("nothing left waiting").isTrue();
      failsFast(a.publish(draft(room, "nodea", 2)), "publish after close");
      a.close(); // idempotent
    } finally {
      restore();
    }
    assertThat(ra.restored.get()).as("a closed node reports nothing").isZero();
  }
}
