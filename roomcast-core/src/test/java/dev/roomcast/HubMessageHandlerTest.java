package dev.roomcast;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.roomcast.testing.RecordingTransport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The application's handler and the per-connection inbound queue, below any transport. */
class HubMessageHandlerTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  private static List<String> contents(RecordingTransport t) {
    List<String> out = new ArrayList<>();
    for (JsonNode m : t.ofType("message")) {
      out.add(m.get("content").toString());
    }
    return out;
  }

  @Test
  void aBurstAboveTheRateIsSlowedDownAndDeliveredWholeInOrder() throws Exception {
    Limits limits = Limits.builder().publishRate(200, 20).build();
    try (Hub hub = Hub.builder().limits(limits).build()) {
      RecordingTransport sender = new RecordingTransport();
      RecordingTransport reader = new RecordingTransport();
      Connection c = hub.join(JoinRequest.to("burst"), sender);
      hub.join(JoinRequest.to("burst"), reader);
      for (int i = 0; i < 120; i++) {
        c.receiveText("{\"content\":" + i + "}");
      }
      reader.awaitType("message", 120, WAIT);
      List<String> expected = new ArrayList<>();
      for (int i = 0; i < 120; i++) {
        expected.add(String.valueOf(i));
      }
      assertThat(contents(reader)).containsExactlyElementsOf(expected);
      assertThat(sender.ofType("error")).isEmpty();
      assertThat(c.isOpen()).isTrue();
      assertThat(hub.metrics().messagesDelayed()).isBetween(1L, 100L);
    }
  }

  @Test
  void aQueueMoreThanHalfFullPausesReadingAndResumesOnceDrained() throws Exception {
    Limits limits = Limits.builder().publishRate(100, 1).maxQueuedMessages(20).build();
    try (Hub hub = Hub.builder().limits(limits).build()) {
      PausableTransport t = new PausableTransport();
      Connection c = hub.join(JoinRequest.to("pause"), t);
      for (int i = 0; i < 15; i++) {
        c.receiveText("{\"content\":" + i + "}");
      }
      assertThat(t.pauses.get()).isEqualTo(1);
      t.awaitType("message", 15, WAIT);
      assertThat(t.resumes.get()).isEqualTo(1);
      assertThat(c.isOpen()).isTrue();
    }
  }

  @Test
  void theHandlerRewritesRejectsAndStaysInOrderWhenItAnswersOutOfOrder() throws Exception {
    List<CompletableFuture<HandlerDecision>> slow = new CopyOnWriteArrayList<>();
    MessageHandler handler =
        m -> {
          String c = m.contentJson();
          if (c.equals("\"bad\"")) {
            return CompletableFuture.completedFuture(HandlerDecision.reject("no bad words"));
          }
          if (c.equals("\"shout\"")) {
            return CompletableFuture.completedFuture(HandlerDecision.replace("\"SHOUT\""));
          }
          if (c.startsWith("\"slow")) {
            CompletableFuture<HandlerDecision> f = new CompletableFuture<>();
            slow.add(f);
            return f;
          }
          return CompletableFuture.completedFuture(HandlerDecision.publish());
        };
    try (Hub hub = Hub.builder().messageHandler(handler).build()) {
      RecordingTransport sender = new RecordingTransport();
      RecordingTransport other = new RecordingTransport();
      RecordingTransport reader = new RecordingTransport();
      Connection c = hub.join(JoinRequest.to("h"), sender);
      Connection o = hub.join(JoinRequest.to("h"), other);
      hub.join(JoinRequest.to("h"), reader);
      c.receiveText("{\"content\":\"slow1\"}");
      c.receiveText("{\"content\":\"slow2\"}");
      c.receiveText("{\"content\":\"shout\"}");
      c.receiveText("{\"content\":\"bad\"}");
      o.receiveText("{\"content\":\"other\"}");
      reader.awaitType("message", 1, WAIT);
      assertThat(contents(reader)).containsExactly("\"other\"");
      // The second slow answer arrives first: still published after the first.
      slow.get(1).complete(HandlerDecision.publish());
      slow.get(0).complete(HandlerDecision.replace("{\"was\":\"slow1\"}"));
      reader.awaitType("message", 4, WAIT);
      assertThat(contents(reader))
          .containsExactly("\"other\"", "{\"was\":\"slow1\"}", "\"slow2\"", "\"SHOUT\"");
      sender.awaitType("error", 1, WAIT);
      assertThat(sender.ofType("error").get(0).get("message").asText()).isEqualTo("no bad words");
      assertThat(c.isOpen()).isTrue();
      assertThat(hub.metrics().handlerRejected()).isEqualTo(1);
    }
  }

  @Test
  void aHandlerThatThrowsFailsOrIsLateRefusesThatMessageOnly() throws Exception {
    MessageHandler handler =
        m ->
            switch (m.contentJson()) {
              case "\"throw\"" -> throw new IllegalStateException("boom");
              case "\"fail\"" -> CompletableFuture.failedFuture(new RuntimeException("db down"));
              case "\"late\"" -> new CompletableFuture<>();
              case "\"invalid\"" ->
                  CompletableFuture.completedFuture(HandlerDecision.replace("{not json"));
              default -> CompletableFuture.completedFuture(HandlerDecision.publish());
            };
    try (Hub hub =
        Hub.builder().messageHandler(handler).handlerTimeout(Duration.ofMillis(300)).build()) {
      RecordingTransport t = new RecordingTransport();
      Connection c = hub.join(JoinRequest.to("f"), t);
      for (String s : List.of("throw", "fail", "late", "invalid", "fine")) {
        c.receiveText("{\"content\":\"" + s + "\"}");
      }
      t.awaitType("message", 1, WAIT);
      assertThat(contents(t)).containsExactly("\"fine\"");
      List<String> errors = new ArrayList<>();
      for (JsonNode e : t.ofType("error")) {
        errors.add(e.get("message").asText());
      }
      assertThat(errors)
          .containsExactly(
              "message not delivered: server error",
              "message not delivered: server error",
              "message not delivered: the server did not decide in time",
              "message not delivered: server error");
      assertThat(errors.toString()).doesNotContain("boom").doesNotContain("db down");
      assertThat(hub.metrics().handlerFailures()).isEqualTo(4);
      assertThat(c.isOpen()).isTrue();
    }
  }

  @Test
  void theHandlerSeesWhoSentItAndEveryJoinAndLeave() throws Exception {
    List<ClientMessage> seen = new CopyOnWriteArrayList<>();
    List<String> events = new CopyOnWriteArrayList<>();
    MessageHandler handler =
        new MessageHandler() {
          @Override
          public CompletableFuture<HandlerDecision> onMessage(ClientMessage m) {
            seen.add(m);
            return CompletableFuture.completedFuture(HandlerDecision.publish());
          }

          @Override
          public void onJoin(MemberEvent e) {
            events.add("join " + e.identity().subject() + " " + e.room());
          }

          @Override
          public void onLeave(MemberEvent e) {
            events.add("leave " + e.identity().subject() + " " + e.room());
          }
        };
    try (Hub hub = Hub.builder().messageHandler(handler).build()) {
      Identity alice = new Identity("alice", java.util.Map.of());
      RecordingTransport t = new RecordingTransport();
      Connection c = hub.join(JoinRequest.to("who").as(alice), t);
      c.receiveText("{\"content\":{\"a\": 1}}");
      t.awaitType("message", 1, WAIT);
      c.close(CloseCodes.NORMAL, "bye");
      assertThat(seen).hasSize(1);
      assertThat(seen.get(0).identity().subject()).isEqualTo("alice");
      assertThat(seen.get(0).clientId()).isEqualTo(c.clientId());
      assertThat(seen.get(0).room()).isEqualTo("who");
      assertThat(seen.get(0).contentJson()).isEqualTo("{\"a\":1}");
      assertThat(events).containsExactly("join alice who", "leave alice who");
    }
  }

  @Test
  void anApplicationPublishWithABadRoomOrContentFailsItsStageInsteadOfThrowing() {
    try (Hub hub = Hub.builder().build()) {
      for (var stage :
          List.of(
              hub.publish("../etc", "1"),
              hub.publish("ok", "{nope"),
              hub.publishAs(Identity.anonymous(), "a b", "1", "x"))) {
        assertThat(stage.toCompletableFuture())
            .failsWithin(1, TimeUnit.SECONDS)
            .withThrowableOfType(java.util.concurrent.ExecutionException.class)
            .withCauseInstanceOf(IllegalArgumentException.class);
      }
    }
  }

  /** A transport that counts pause/resume requests. */
  private static final class PausableTransport extends RecordingTransport {
    final AtomicInteger pauses = new AtomicInteger();
    final AtomicInteger resumes = new AtomicInteger();

    @Override
    public void pauseReading() {
      pauses.incrementAndGet();
    }

    @Override
    public void resumeReading() {
      resumes.incrementAndGet();
    }
  }
}
