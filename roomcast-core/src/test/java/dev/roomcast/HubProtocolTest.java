package dev.roomcast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import dev.roomcast.internal.WireCodec;
import dev.roomcast.testing.RecordingTransport;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Wire protocol v1 as the hub speaks it: the seed's frames, field for field, plus roomcast's. */
class HubProtocolTest {
  private static final Duration WAIT = Duration.ofSeconds(5);
  private final Hub hub = Hub.builder().build();

  @AfterEach
  void close() {
    hub.close();
  }

  @Test
  void welcomeGoesToTheNewcomerAndJoinNoticeToTheOthers() throws Exception {
    RecordingTransport ta = new RecordingTransport();
    RecordingTransport tb = new RecordingTransport();
    Connection a = hub.join(JoinRequest.to("lobby"), ta);
    Connection b = hub.join(JoinRequest.to("lobby"), tb);

    JsonNode welcome = tb.json().get(0);
    assertThat(welcome.get("type").asText()).isEqualTo("system");
    assertThat(welcome.get("client_id").asText()).isEqualTo(b.clientId());
    assertThat(welcome.get("message").asText())
        .isEqualTo("Welcome to room lobby. You are " + b.clientId() + ".");
    assertThat(welcome.get("room").asText()).isEqualTo("lobby");
    assertThat(Instant.parse(welcome.get("timestamp").asText())).isNotNull();
    assertThat(welcome.get("offset").asLong()).isZero();
    assertThat(welcome.get("epoch").asText()).isNotEmpty();
    assertThat(welcome.has("recovered")).as("only resumes say recovered").isFalse();

    List<JsonNode> toA = ta.json();
    assertThat(toA).hasSize(2);
    assertThat(toA.get(1).get("type").asText()).isEqualTo("system");
    assertThat(toA.get(1).get("message").asText()).isEqualTo(b.clientId() + " joined the room");
    assertThat(toA.get(1).get("room").asText()).isEqualTo("lobby");
    assertThat(tb.json()).as("no notice of its own join").hasSize(1);

    b.close(1000, "bye");
    assertThat(ta.json().get(2).get("message").asText()).isEqualTo(b.clientId() + " left the room");
    assertThat(a.isOpen()).isTrue();
  }

  @Test
  void messageReachesEveryMemberIncludingTheSenderWithEveryField() throws Exception {
    RecordingTransport ta = new RecordingTransport();
    RecordingTransport tb = new RecordingTransport();
    Connection a = hub.join(JoinRequest.to("r1"), ta);
    hub.join(JoinRequest.to("r1"), tb);
    a.receiveText("{\"content\":{\"text\":\"hi\",\"n\":[1,2.5,null,true]}}");
    for (RecordingTransport t : List.of(ta, tb)) {
      List<JsonNode> msgs = t.ofType("message");
      assertThat(msgs).hasSize(1);
      JsonNode m = msgs.get(0);
      assertThat(m.get("client_id").asText()).isEqualTo(a.clientId());
      assertThat(m.get("content").toString())
          .isEqualTo("{\"text\":\"hi\",\"n\":[1,2.5,null,true]}");
      assertThat(m.get("room").asText()).isEqualTo("r1");
      assertThat(m.get("offset").asLong()).isEqualTo(1);
      assertThat(m.get("epoch").asText()).isEqualTo(t.json().get(0).get("epoch").asText());
      assertThat(Instant.parse(m.get("timestamp").asText())).isNotNull();
      assertThat(m.get("timestamp").asText()).endsWith("Z");
    }
    // encode once: both recipients got the very same frame object
    assertThat(ta.frames().get(ta.frames().size() - 1))
        .isSameAs(tb.frames().get(tb.frames().size() - 1));
  }

  @Test
  void contentIsPassedThroughAsSentAndMissingContentIsEmptyStringAsInTheSeed() {
    RecordingTransport t = new RecordingTransport();
    Connection c = hub.join(JoinRequest.to("r2"), t);
    String[] contents = {
      "\"text\"", "42", "-1.5e3", "null", "true", "[1,[2,[3]]]", "{}", "\"ünï😀\""
    };
    for (String content : contents) {
      c.receiveText("{\"content\":" + content + ",\"ignored\":1}");
    }
    c.receiveText("{\"other\":1}");
    List<JsonNode> msgs = t.ofType("message");
    assertThat(msgs).hasSize(contents.length + 1);
    for (int i = 0; i < contents.length; i++) {
      assertThat(msgs.get(i).get("content")).isEqualTo(RecordingTransport.parse(contents[i]));
    }
    assertThat(msgs.get(contents.length).get("content").asText()).isEmpty();
  }

  @Test
  void invalidInputGetsAnErrorFrameAndTheConnectionStays() {
    RecordingTransport t = new RecordingTransport();
    Connection c = hub.join(JoinRequest.to("r3"), t);
    c.receiveText("not json");
    c.receiveText("{\"content\": ");
    c.receiveText("[1,2]");
    c.receiveText("\"just a string\"");
    c.receiveText("{\"content\":1} trailing");
    c.receiveText("{\"content\":" + "[".repeat(100) + "]".repeat(100) + "}");
    List<JsonNode> errors = t.ofType("error");
    assertThat(errors)
        .extracting(n -> n.get("message").asText())
        .containsExactly(
            "Invalid JSON format",
            "Invalid JSON format",
            "Message must be a JSON object like {\"content\": ...}",
            "Message must be a JSON object like {\"content\": ...}",
            "Invalid JSON format",
            "JSON nested too deeply");
    for (JsonNode e : errors) {
      assertThat(e.size()).as("error frames carry only type and message").isEqualTo(2);
    }
    assertThat(c.isOpen()).isTrue();
    c.receiveText("{\"content\":\"still here\"}");
    assertThat(t.ofType("message")).hasSize(1);
    assertThat(hub.metrics().errors()).isEqualTo(6);
  }

  @Test
  void anErrorThatRefusesAFrameNamesTheFramesIdAndOnlyThen() throws Exception {
    Limits limits = Limits.builder().maxContentBytes(10).build();
    MessageHandler handler =
        m ->
            CompletableFuture.completedFuture(
                m.contentJson().equals("\"bad\"")
                    ? HandlerDecision.reject("no bad words")
                    : HandlerDecision.publish());
    try (Hub h = Hub.builder().limits(limits).messageHandler(handler).build()) {
      RecordingTransport t = new RecordingTransport();
      Connection c = h.join(JoinRequest.to("ids"), t);
      c.receiveText("{\"content\":\"" + "x".repeat(20) + "\",\"id\":\"m1\"}");
      c.receiveText("{\"content\":\"bad\",\"id\":7}");
      c.receiveText("{\"content\":\"ok\",\"id\":\"m3\"}");
      c.receiveText("{\"content\":\"bad\"}");
      c.receiveText("{\"content\":\"bad\",\"id\":null}");
      c.receiveText("{\"content\":\"ok\",\"id\":{\"a\":1}}");
      c.receiveText("{\"content\":\"ok\",\"id\":\"" + "i".repeat(65) + "\"}");
      c.receiveText("{\"content\":\"ok\",\"id\":1.5}");
      t.awaitType("error", 7, WAIT);
      List<JsonNode> errors = t.ofType("error");
      assertThat(errors)
          .extracting(e -> e.get("message").asText(), e -> e.path("id").toString())
          .containsExactly(
              tuple("content too large (max 10 bytes)", "\"m1\""),
              tuple("no bad words", "7"),
              tuple("no bad words", ""),
              tuple("no bad words", ""),
              tuple(WireCodec.INVALID_ID_MESSAGE, ""),
              tuple(WireCodec.INVALID_ID_MESSAGE, ""),
              tuple(WireCodec.INVALID_ID_MESSAGE, ""));
      assertThat(t.ofType("message"))
          .singleElement()
          .satisfies(m -> assertThat(m.has("id")).as("the id is not relayed").isFalse());
      assertThat(c.isOpen()).isTrue();
    }
    RecordingTransport sse = new RecordingTransport();
    Connection receiveOnly = hub.join(JoinRequest.to("ids").receiveOnly(), sse);
    receiveOnly.receiveText("{\"content\":1,\"id\":\"r1\"}");
    assertThat(sse.ofType("error"))
        .singleElement()
        .satisfies(e -> assertThat(e.get("id").asText()).isEqualTo("r1"));
  }

  @Test
  void roomsAreIsolatedAndEmptyNameMeansDefault() {
    RecordingTransport t1 = new RecordingTransport();
    RecordingTransport t2 = new RecordingTransport();
    Connection c1 = hub.join(JoinRequest.to("a"), t1);
    Connection c2 = hub.join(JoinRequest.to(""), t2);
    assertThat(c2.room()).isEqualTo("default");
    c1.receiveText("{\"content\":1}");
    assertThat(t1.ofType("message")).hasSize(1);
    assertThat(t2.ofType("message")).isEmpty();
    assertThat(t1.ofType("system")).hasSize(1);
    assertThat(hub.roomSizes()).containsEntry("a", 1).containsEntry("default", 1);
  }

  @Test
  void clientIdsAreUniqueWithinAndAcrossHubs() {
    Set<String> ids = new HashSet<>();
    try (Hub one = Hub.builder().notices(NoticePolicy.never()).build();
        Hub other = Hub.builder().notices(NoticePolicy.never()).build()) {
      for (int i = 0; i < 2000; i++) {
        ids.add(one.join(JoinRequest.to("ids"), new RecordingTransport()).clientId());
        ids.add(other.join(JoinRequest.to("ids"), new RecordingTransport()).clientId());
      }
    }
    assertThat(ids).hasSize(4000);
    assertThat(ids).allMatch(id -> id.startsWith("user-"));
  }

  @Test
  void serverSidePublishReachesTheRoomAndValidatesContent() throws Exception {
    RecordingTransport t = new RecordingTransport();
    hub.join(JoinRequest.to("news"), t);
    Published p = hub.publish("news", "{\"headline\":\"x\"}").toCompletableFuture().get();
    assertThat(p.offset()).isEqualTo(1);
    JsonNode m = t.ofType("message").get(0);
    assertThat(m.get("client_id").asText()).isEqualTo("server");
    assertThat(m.get("content").get("headline").asText()).isEqualTo("x");
    assertThatThrownBy(() -> hub.publish("news", "{broken").toCompletableFuture().get())
        .hasCauseInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> hub.publish("../etc", "1").toCompletableFuture().get())
        .hasCauseInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("invalid room name");
  }

  @Test
  void broadcastCanExcludeOneMember() throws Exception {
    RecordingTransport ta = new RecordingTransport();
    RecordingTransport tb = new RecordingTransport();
    Connection a = hub.join(JoinRequest.to("ex"), ta);
    hub.join(JoinRequest.to("ex"), tb);
    hub.broadcast("ex", "\"not for a\"", a.clientId(), a).toCompletableFuture().get();
    hub.publish("ex", "\"for all\"").toCompletableFuture().get();
    assertThat(ta.ofType("message"))
        .extracting(n -> n.get("content").asText())
        .containsExactly("for all");
    assertThat(tb.ofType("message"))
        .extracting(n -> n.get("content").asText())
        .containsExactly("not for a", "for all");
    assertThat(tb.ofType("message").get(0).get("client_id").asText()).isEqualTo(a.clientId());
  }

  @Test
  void noticesFollowThePolicy() {
    try (Hub quiet = Hub.builder().notices(NoticePolicy.never()).build();
        Hub small = Hub.builder().notices(NoticePolicy.belowRoomSize(2)).build()) {
      RecordingTransport q1 = new RecordingTransport();
      quiet.join(JoinRequest.to("q"), q1);
      quiet.join(JoinRequest.to("q"), new RecordingTransport()).close(1000, "");
      assertThat(q1.json()).hasSize(1);

      RecordingTransport s1 = new RecordingTransport();
      small.join(JoinRequest.to("s"), s1);
      small.join(JoinRequest.to("s"), new RecordingTransport()); // size 2: announced
      small.join(JoinRequest.to("s"), new RecordingTransport()); // size 3: silent
      assertThat(s1.ofType("system")).hasSize(2);
    }
    assertThat(NoticePolicy.parse("off").appliesTo(1)).isFalse();
    assertThat(NoticePolicy.parse("on").appliesTo(1_000_000)).isTrue();
    assertThat(NoticePolicy.parse("50").appliesTo(51)).isFalse();
    assertThatThrownBy(() -> NoticePolicy.parse("sometimes")).hasMessageContaining("on, off");
  }

  @Test
  void metricsCountConnectionsRoomsAndMessages() {
    RecordingTransport t1 = new RecordingTransport();
    Connection c1 = hub.join(JoinRequest.to("m1"), t1);
    hub.join(JoinRequest.to("m1"), new RecordingTransport());
    Connection c3 = hub.join(JoinRequest.to("m2"), new RecordingTransport());
    c1.receiveText("{\"content\":\"x\"}");
    MetricsSnapshot s = hub.metrics();
    assertThat(s.connections()).isEqualTo(3);
    assertThat(s.rooms()).isEqualTo(2);
    assertThat(s.messagesIn()).isEqualTo(1);
    assertThat(s.messagesOut()).as("3 welcomes + 1 notice + 2 messages").isEqualTo(6);
    assertThat(s.bytesOut()).isPositive();
    assertThat(s.deliveryLatencyCount())
        .as("room messages are timed, system frames not")
        .isEqualTo(2);
    assertThat(s.deliveryLatencyTotalMillis()).isBetween(0L, 10_000L);
    c3.transportClosed();
    c3.transportClosed();
    s = hub.metrics();
    assertThat(s.connections()).isEqualTo(2);
    assertThat(s.rooms()).isEqualTo(1);
    assertThat(s.connectionsClosed()).isEqualTo(1);
    assertThat(s.backplaneUp()).isTrue();
  }
}
