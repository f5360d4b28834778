package dev.roomcast.example;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.roomcast.jakarta.testkit.WsClient;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * An in-memory restart loses the room's history (a new epoch). Tab B reconnects first and posts;
 * tab A resumes late with the old epoch: it is told {@code recovered:false} and still gets B's
 * message, because the server replays what it holds of the new epoch.
 */
class EpochChangeTest {

  private static String resume(String room, JsonNode last) {
    return "/"
        + room
        + "?since="
        + last.path("offset").asLong()
        + "&epoch="
        + URLEncoder.encode(last.path("epoch").asText(), StandardCharsets.UTF_8);
  }

  @Test
  void aLateResumeAfterARestartGetsWhatOthersPublishedSince() throws Exception {
    JsonNode lastA;
    JsonNode lastB;
    try (TestServer before = TestServer.start()) {
      try (WsClient a = WsClient.connect(before.ws("/tabs"));
          WsClient b = WsClient.connect(before.ws("/tabs"))) {
        a.next("system");
        b.next("system");
        a.send("{\"content\":\"before the restart\"}");
        lastA = a.next("message");
        lastB = b.next("message");
      }
    }
    try (TestServer after = TestServer.start()) {
      try (WsClient b = WsClient.connect(after.ws(resume("tabs", lastB)))) {
        JsonNode wb = b.next("system");
        assertThat(wb.path("recovered").asBoolean()).isFalse();
        assertThat(wb.path("epoch").asText()).isNotEqualTo(lastB.path("epoch").asText());
        b.send("{\"content\":\"B after the restart\"}");
        assertThat(b.next("message").path("content").asText()).isEqualTo("B after the restart");
      }
      try (WsClient a = WsClient.connect(after.ws(resume("tabs", lastA)))) {
        JsonNode wa = a.next("system");
        assertThat(wa.path("recovered").asBoolean()).isFalse();
        JsonNode m = a.next("message");
        assertThat(m.path("content").asText()).isEqualTo("B after the restart");
        assertThat(m.path("offset").asLong()).isEqualTo(wa.path("offset").asLong() + 1);
      }
    }
  }
}
