package dev.roomcast.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FrameTest {
  private static final String NODE_MSG =
      "{\"type\":\"message\",\"client_id\":\"user-3\",\"content\":{\"r\":7,\"s\":42,\"t\":123456},"
          + "\"timestamp\":\"2025-01-01T00:00:00.000Z\",\"room\":\"a\"}";
  // Python's json.dumps puts a space after ':' and ','
  private static final String PY_MSG =
      "{\"type\": \"message\", \"client_id\": \"user-9\", \"content\": {\"r\": 7, \"s\": 42,"
          + " \"t\": 123456, \"p\": \"xx\\\"x\"}, \"timestamp\": \"2025-01-01T00:00:00\","
          + " \"room\": \"a\"}";
  private static final String ROOMCAST_MSG =
      "{\"type\":\"message\",\"room\":\"a\",\"epoch\":\"e1\",\"offset\":99,\"client_id\":\"user-1\","
          + "\"content\":{\"r\":7,\"s\":42,\"t\":123456},\"timestamp\":\"x\"}";

  @Test
  void parsesBroadcastsOfEveryServerShape() {
    for (String s : new String[] {NODE_MSG, PY_MSG, ROOMCAST_MSG}) {
      Frame f = Frame.parse(s);
      assertThat(f.kind()).as(s).isEqualTo(Frame.Kind.MESSAGE);
      assertThat(f.tag()).isEqualTo(7);
      assertThat(f.seq()).isEqualTo(42);
      assertThat(f.sentMicros()).isEqualTo(123456);
    }
  }

  @Test
  void fastPathAgreesWithJackson() {
    for (String s : new String[] {NODE_MSG, PY_MSG, ROOMCAST_MSG}) {
      assertThat(Frame.fastMessage(s)).as(s).isEqualTo(Frame.parseFully(s));
    }
  }

  @Test
  void fastPathDeclinesNestedContentAndJacksonHandlesIt() {
    String nested =
        "{\"type\":\"message\",\"client_id\":\"u\",\"content\":{\"x\":{\"y\":1},\"r\":7,\"s\":1,"
            + "\"t\":5}}";
    assertThat(Frame.fastMessage(nested)).isNull();
    assertThat(Frame.parse(nested).tag()).isEqualTo(7);
  }

  @Test
  void negativeStampsAreStamps() {
    String msg = "{\"type\":\"message\",\"content\":{\"r\":1,\"s\":0,\"t\":-1438}}";
    assertThat(Frame.parse(msg).sentMicros()).isEqualTo(-1438);
    assertThat(Frame.parseFully(msg).sentMicros()).isEqualTo(-1438);
  }

  @Test
  void foreignContentIsAMessageWithoutStamp() {
    Frame f = Frame.parse("{\"type\":\"message\",\"client_id\":\"u\",\"content\":\"hello\"}");
    assertThat(f.kind()).isEqualTo(Frame.Kind.MESSAGE);
    assertThat(f.sentMicros()).isEqualTo(Frame.NO_TIME);
  }

  @Test
  void recognisesWelcomeButNotJoinNotices() {
    Frame welcome =
        Frame.parse(
            "{\"type\": \"system\", \"message\": \"Welcome to room a. You are user-1.\","
                + " \"client_id\": \"user-1\", \"timestamp\": \"t\"}");
    Frame join =
        Frame.parse(
            "{\"type\":\"system\",\"message\":\"user-2 joined the room\",\"timestamp\":\"t\","
                + "\"room\":\"a\"}");
    Frame reworded =
        Frame.parse(
            "{\"type\":\"system\",\"message\":\"hi\",\"client_id\":\"user-1\",\"room\":\"a\","
                + "\"epoch\":\"e\",\"offset\":0,\"recovered\":false}");
    assertThat(welcome.kind()).isEqualTo(Frame.Kind.SYSTEM);
    assertThat(welcome.welcome()).isTrue();
    assertThat(join.welcome()).isFalse();
    assertThat(reworded.welcome()).isTrue();
  }

  @Test
  void errorsAndGarbage() {
    assertThat(Frame.parse("{\"type\":\"error\",\"message\":\"Invalid JSON format\"}").kind())
        .isEqualTo(Frame.Kind.ERROR);
    assertThat(Frame.parse("not json").kind()).isEqualTo(Frame.Kind.OTHER);
    assertThat(Frame.parse("{\"type\":\"message\",\"content\":{\"r\":").kind())
        .isEqualTo(Frame.Kind.OTHER);
  }

  @Test
  void publishFrameRoundTrips() {
    String out = Frame.publish(3, 9, 777, "ab");
    assertThat(out).isEqualTo("{\"content\":{\"r\":3,\"s\":9,\"t\":777,\"p\":\"ab\"}}");
    String echoed = "{\"type\":\"message\",\"client_id\":\"u\"," + out.substring(1);
    Frame f = Frame.parse(echoed);
    assertThat(f.tag()).isEqualTo(3);
    assertThat(f.seq()).isEqualTo(9);
    assertThat(f.sentMicros()).isEqualTo(777);
  }
}
