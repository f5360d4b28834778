package dev.roomcast.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roomcast.StreamPosition;
import dev.roomcast.client.ReceivedMessage;
import dev.roomcast.client.Welcome;
import org.junit.jupiter.api.Test;

class ReceiveStateTest {
  static final String T0 = "2026-12-02T01:00:00.000Z";
  static final String T1 = "2026-12-02T01:00:01.500Z";
  static final String T2 = "2026-12-02T01:00:02Z";

  static String welcome(String epoch, long offset, Boolean recovered, String ts) {
    return "{\"type\":\"system\",\"message\":\"Welcome\",\"client_id\":\"u1\",\"room\":\"r\","
        + "\"timestamp\":\""
        + ts
        + "\",\"epoch\":\""
        + epoch
        + "\",\"offset\":"
        + offset
        + (recovered == null ? "" : ",\"recovered\":" + recovered)
        + "}";
  }

  static String message(String epoch, long offset, String contentJson, String ts) {
    return "{\"type\":\"message\",\"client_id\":\"u2\",\"content\":"
        + contentJson
        + ",\"timestamp\":\""
        + ts
        + "\",\"room\":\"r\",\"offset\":"
        + offset
        + ",\"epoch\":\""
        + epoch
        + "\"}";
  }

  static ReceivedMessage delivered(ReceiveState.Event e) {
    assertThat(e).isInstanceOf(ReceiveState.Message.class);
    return ((ReceiveState.Message) e).message();
  }

  @Test
  void aFreshJoinStartsAtTheWelcomeAndDeliversInOrder() {
    ReceiveState s = new ReceiveState("r", null);
    s.connectionStarted();
    ReceiveState.Event w = s.receive(welcome("e1", 41, null, T0));
    Welcome welcome = ((ReceiveState.Opened) w).welcome();
    assertThat(welcome.clientId()).isEqualTo("u1");
    assertThat(welcome.isResume()).isFalse();
    assertThat(welcome.recovered()).isEmpty();
    assertThat(s.position()).isEqualTo(new StreamPosition("e1", 41));

    ReceivedMessage m = delivered(s.receive(message("e1", 42, "{\"text\":\"hi\"}", T1)));
    assertThat(m.contentJson()).isEqualTo("{\"text\":\"hi\"}");
    assertThat(m.contentText()).isEqualTo("{\"text\":\"hi\"}");
    assertThat(m.offset()).isEqualTo(42);
    assertThat(m.replayed()).isFalse();
    assertThat(delivered(s.receive(message("e1", 43, "\"plain\"", T1))).contentText())
        .isEqualTo("plain");
    assertThat(s.position()).isEqualTo(new StreamPosition("e1", 43));
  }

  @Test
  void duplicatesAreDroppedAndAJumpAheadIsAGap() {
    ReceiveState s = new ReceiveState("r", null);
    s.connectionStarted();
    s.receive(welcome("e1", 5, null, T0));
    delivered(s.receive(message("e1", 6, "1", T1)));
    assertThat(s.receive(message("e1", 6, "1", T1))).isInstanceOf(ReceiveState.Duplicate.class);
    assertThat(s.receive(message("e1", 3, "1", T1))).isInstanceOf(ReceiveState.Duplicate.class);
    ReceiveState.Event gap = s.receive(message("e1", 9, "1", T1));
    assertThat(gap).isEqualTo(new ReceiveState.Gap(new StreamPosition("e1", 6), 9));
    assertThat(s.position())
        .as("a gap does not move the position")
        .isEqualTo(new StreamPosition("e1", 6));
    assertThat(s.duplicates()).isEqualTo(2);
    assertThat(s.gaps()).isEqualTo(1);
  }

  @Test
  void aNewEpochStartsOver() {
    ReceiveState s = new ReceiveState("r", null);
    s.connectionStarted();
    s.receive(welcome("e1", 50, null, T0));
    assertThat(delivered(s.receive(message("e2", 1, "1", T1))).epoch()).isEqualTo("e2");
    assertThat(s.position()).isEqualTo(new StreamPosition("e2", 1));
  }

  @Test
  void aCompleteResumeMarksWhatWasPublishedBeforeItsWelcomeAsReplayed() {
    ReceiveState s = new ReceiveState("r", new StreamPosition("e1", 10));
    s.connectionStarted();
    Welcome w = ((ReceiveState.Opened) s.receive(welcome("e1", 10, true, T1))).welcome();
    assertThat(w.resumedFrom()).contains(new StreamPosition("e1", 10));
    assertThat(w.recovered()).contains(true);
    assertThat(delivered(s.receive(message("e1", 11, "1", T0))).replayed()).isTrue();
    assertThat(delivered(s.receive(message("e1", 12, "1", T0))).replayed()).isTrue();
    assertThat(delivered(s.receive(message("e1", 13, "1", T2))).replayed()).isFalse();
    // once live, always live on this connection, even with a clock behind (another node)
    assertThat(delivered(s.receive(message("e1", 14, "1", T0))).replayed()).isFalse();

    // the next connection resumes from the last delivered offset; a fresh decision per welcome
    s.connectionStarted();
    assertThat(
            ((ReceiveState.Opened) s.receive(welcome("e1", 14, true, T2))).welcome().resumedFrom())
        .contains(new StreamPosition("e1", 14));
    assertThat(delivered(s.receive(message("e1", 15, "1", T1))).replayed()).isTrue();
  }

  @Test
  void aResumeThatCouldNotRecoverContinuesFromTheWelcomeAndReplaysNothing() {
    ReceiveState s = new ReceiveState("r", new StreamPosition("old", 10));
    s.connectionStarted();
    s.receive(welcome("e2", 7, false, T1));
    assertThat(s.position()).isEqualTo(new StreamPosition("e2", 7));
    ReceivedMessage m = delivered(s.receive(message("e2", 8, "1", T0)));
    assertThat(m.replayed()).isFalse();
  }

  @Test
  void noticesErrorsAndOddFrames() {
    ReceiveState s = new ReceiveState("r", null);
    s.connectionStarted();
    assertThat(s.receive("not json")).isInstanceOf(ReceiveState.Ignored.class);
    assertThat(s.receive(message("e1", 1, "1", T0)))
        .as("a message before the welcome")
        .isInstanceOf(ReceiveState.Ignored.class);
    assertThat(s.welcomed()).isFalse();
    s.receive(welcome("e1", 0, null, T0));
    assertThat(s.welcomed()).isTrue();
    ReceiveState.Event n =
        s.receive("{\"type\":\"system\",\"message\":\"u3 joined the room\",\"client_id\":\"u3\"}");
    assertThat(((ReceiveState.NoticeReceived) n).notice().clientId()).isEqualTo("u3");
    assertThat(((ReceiveState.NoticeReceived) n).notice().room()).isEqualTo("r");
    assertThat(s.receive("{\"type\":\"error\",\"message\":\"Invalid JSON format\"}"))
        .isEqualTo(new ReceiveState.ServerError("Invalid JSON format", null));
    assertThat(s.receive("{\"type\":\"presence\"}")).isInstanceOf(ReceiveState.Ignored.class);
    // a seed server's message without a position is delivered as it is
    ReceivedMessage seed =
        delivered(s.receive("{\"type\":\"message\",\"client_id\":\"x\",\"content\":\"hi\"}"));
    assertThat(seed.position()).isEmpty();
    assertThat(seed.offset()).isEqualTo(-1);
    assertThat(s.position()).isEqualTo(new StreamPosition("e1", 0));
  }
}
