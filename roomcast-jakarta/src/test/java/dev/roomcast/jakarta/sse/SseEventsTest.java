package dev.roomcast.jakarta.sse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.roomcast.AuthenticationException;
import dev.roomcast.HandshakeRequest;
import dev.roomcast.Hub;
import dev.roomcast.Identity;
import dev.roomcast.JoinRejectedException;
import dev.roomcast.JoinRequest;
import dev.roomcast.StreamPosition;
import dev.roomcast.spi.OutboundFrame;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** SSE framing and the parsing of the resume position, without any container. */
class SseEventsTest {

  private static String text(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }

  @Test
  void aRoomMessageIsOneEventWithItsPositionAsId() {
    String json =
        "{\"type\":\"message\",\"client_id\":\"server\",\"content\":\"h\u00e9\",\"room\":\"r\","
            + "\"offset\":42,\"epoch\":\"uc9\"}";
    OutboundFrame f = OutboundFrame.roomMessage(json, "uc9", 42);
    assertThat(SseEvents.idOf(f)).isEqualTo("uc9:42");
    assertThat(text(SseEvents.event(f, SseEvents.idOf(f))))
        .isEqualTo("id: uc9:42\ndata: " + json + "\n\n");
  }

  @Test
  void systemFramesHaveNoIdUnlessGivenOne() {
    OutboundFrame f = OutboundFrame.system("{\"type\":\"error\",\"message\":\"x\"}");
    assertThat(SseEvents.idOf(f)).isNull();
    assertThat(text(SseEvents.event(f, null)))
        .isEqualTo("data: {\"type\":\"error\",\"message\":\"x\"}\n\n");
  }

  @Test
  void textWithLineBreaksBecomesSeveralDataLinesThatJoinBackToTheSameJson() throws Exception {
    OutboundFrame f = OutboundFrame.system("{\"a\":\n1,\r\n\"b\":\r2}");
    String event = text(SseEvents.event(f, "e:1"));
    assertThat(event).isEqualTo("id: e:1\ndata: {\"a\":\ndata: 1,\ndata: \"b\":\ndata: 2}\n\n");
    // what an EventSource does: join the data lines with \n
    StringBuilder data = new StringBuilder();
    for (String line : event.split("\n")) {
      if (line.startsWith("data: ")) {
        data.append(data.length() == 0 ? "" : "\n").append(line.substring(6));
      }
    }
    assertThat(new ObjectMapper().readTree(data.toString()))
        .isEqualTo(new ObjectMapper().readTree("{\"a\":1,\"b\":2}"));
  }

  @Test
  void theWelcomeGetsItsPositionAsIdWhenItHasOne() {
    OutboundFrame fresh =
        OutboundFrame.system(
            "{\"type\":\"system\",\"message\":\"Welcome to room r. You are u.\",\"client_id\":\"u\","
                + "\"timestamp\":\"t\",\"room\":\"r\",\"epoch\":\"ab12\",\"offset\":7}");
    assertThat(SseEvents.welcomeIdOf(fresh)).isEqualTo("ab12:7");
    OutboundFrame resumed =
        OutboundFrame.system(
            "{\"type\":\"system\",\"message\":\"...\",\"room\":\"r\",\"epoch\":\"ab12\","
                + "\"offset\":0,\"recovered\":false}");
    assertThat(SseEvents.welcomeIdOf(resumed)).isEqualTo("ab12:0");
    OutboundFrame noPosition =
        OutboundFrame.system("{\"type\":\"system\",\"message\":\"...\",\"room\":\"r\"}");
    assertThat(SseEvents.welcomeIdOf(noPosition)).isNull();
    assertThat(SseEvents.welcomeIdOf(OutboundFrame.system("{\"type\":\"error\",\"epoch\":\"x\"}")))
        .isNull();
    assertThat(SseEvents.welcomeIdOf(OutboundFrame.system("not json"))).isNull();
    assertThat(SseEvents.welcomeIdOf(OutboundFrame.roomMessage("{}", "e", 1))).isNull();
  }

  @Test
  void retryHeartbeatAndErrorBodies() {
    assertThat(text(SseEvents.retry(Duration.ofMillis(1500)))).isEqualTo("retry: 1500\n\n");
    assertThat(text(SseEvents.heartbeat())).isEqualTo(": heartbeat\n\n");
    assertThat(SseEvents.errorJson("bad \"room\"\n"))
        .isEqualTo("{\"error\":\"bad \\\"room\\\"\\n\"}");
  }

  // ---- resume position

  @Test
  void lastEventIdTakesPrecedenceOverTheQuery() {
    JoinRequest r =
        SseRequests.parse(
            "lobby", "ep0ch:12", Map.of("since", List.of("3"), "epoch", List.of("other")));
    assertThat(r.room()).isEqualTo("lobby");
    assertThat(r.resumeFrom()).isEqualTo(new StreamPosition("ep0ch", 12));
    assertThat(r.canPublish()).isFalse();
  }

  @Test
  void theQueryIsUsedWithoutLastEventIdAndABlankHeaderCountsAsAbsent() {
    JoinRequest q =
        SseRequests.parse("lobby", " ", Map.of("since", List.of("3"), "epoch", List.of("e1")));
    assertThat(q.resumeFrom()).isEqualTo(new StreamPosition("e1", 3));
    assertThat(q.canPublish()).isFalse();
    JoinRequest fresh = SseRequests.parse("lobby", null, Map.of());
    assertThat(fresh.resumeFrom()).isNull();
    assertThat(fresh.canPublish()).isFalse();
    // epochs may contain colons: the offset is after the last one
    assertThat(SseRequests.parse("r", "a:b:5", Map.of()).resumeFrom())
        .isEqualTo(new StreamPosition("a:b", 5));
  }

  @Test
  void malformedPositionsAreRefusedWith400() {
    for (String id : List.of("nocolon", ":5", "e:", "e:-1", "e:x", "e:99999999999999999999")) {
      assertThatThrownBy(() -> SseRequests.parse("r", id, Map.of()))
          .as(id)
          .isInstanceOfSatisfying(
              JoinRejectedException.class, e -> assertThat(e.httpStatus()).isEqualTo(400))
          .hasMessageContaining("Last-Event-ID");
    }
    assertThatThrownBy(() -> SseRequests.parse("r", "e\u00e9:5", Map.of()))
        .isInstanceOfSatisfying(
            JoinRejectedException.class, e -> assertThat(e.httpStatus()).isEqualTo(400));
    assertThatThrownBy(() -> SseRequests.parse("r", null, Map.of("since", List.of("3"))))
        .isInstanceOfSatisfying(
            JoinRejectedException.class, e -> assertThat(e.httpStatus()).isEqualTo(400));
  }

  @Test
  void joinAuthenticatesThroughTheHub() {
    try (Hub hub =
        Hub.builder()
            .authenticator(
                h -> {
                  if (!"s3cret".equals(h.bearerToken())) {
                    throw new AuthenticationException("missing or invalid token");
                  }
                  return new Identity("alice", Map.of());
                })
            .build()) {
      HandshakeRequest ok =
          HandshakeRequest.of(
              "lobby",
              Map.of("Authorization", List.of("Bearer s3cret"), "last-event-id", List.of("e:4")),
              Map.of(),
              "127.0.0.1");
      JoinRequest r = SseRequests.join(hub, ok);
      assertThat(r.identity().subject()).isEqualTo("alice");
      assertThat(r.canPublish()).isFalse();
      assertThat(r.resumeFrom()).isEqualTo(new StreamPosition("e", 4));

      HandshakeRequest anonymous = HandshakeRequest.of("lobby", Map.of(), Map.of(), null);
      assertThatThrownBy(() -> SseRequests.join(hub, anonymous))
          .isInstanceOfSatisfying(
              JoinRejectedException.class, e -> assertThat(e.httpStatus()).isEqualTo(401));
    }
  }
}
