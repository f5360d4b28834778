package dev.roomcast.example;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * roomcast's chat page (built on {@code /roomcast.js}) in headless Chromium: two tabs talk; a tab
 * that lost its connection says so in words (no close code) with a live countdown and a "Retry now"
 * button, shows a message typed meanwhile as pending, reconnects when the button is pressed,
 * resumes with since/epoch, shows what it missed and confirms the pending message by its offset;
 * structured content renders as text and fields; no request fails (no favicon 404); the page fits a
 * 390 px wide phone viewport; a message the server refuses is marked "not sent" with the reason.
 * Screenshots in {@code target/test-artifacts/}: {@code chat-desktop.png}, {@code
 * chat-desktop-reconnecting.png} and {@code chat-narrow.png}.
 */
@Tag("slow")
class ChatPageTest {
  static TestServer server;

  @BeforeAll
  static void start() throws Exception {
    NodeTools.install();
    server = TestServer.start();
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void twoTabsChatAndADroppedTabResumesWithoutLoss() throws Exception {
    String node = NodeTools.require("node", "apt-get install -y nodejs");
    String chromium = NodeTools.chromium();
    NodeTools.copyAsIs("browser.js", "chat-page.js");
    List<Path> screenshots =
        Stream.of(
                "chat-desktop.png",
                "chat-desktop-reconnecting.png",
                "chat-desktop-members.png",
                "chat-narrow.png")
            .map(NodeTools.ARTIFACTS::resolve)
            .toList();
    for (Path p : screenshots) {
      Files.deleteIfExists(p);
    }
    NodeTools.Output out =
        NodeTools.run(
            List.of(
                node,
                "chat-page.js",
                "http://127.0.0.1:" + server.port(),
                NodeTools.ARTIFACTS.toString()),
            Map.of("CHROMIUM_PATH", chromium),
            Duration.ofSeconds(120));
    JsonNode r = SeedClientsTest.result(out);
    assertThat(r.path("ok").asBoolean()).as(out.text()).isTrue();

    // no request of any tab failed: the favicon is inline, nothing 404s
    assertThat(r.path("failedRequests")).as(out.text()).isEmpty();
    assertThat(r.path("favicon").asText()).startsWith("data:image/svg+xml");
    // and a client that asks for /favicon.ico anyway gets the same icon, not a 404
    var icon = server.get("/favicon.ico");
    assertThat(icon.statusCode()).isEqualTo(200);
    assertThat(icon.headers().firstValue("Content-Type")).hasValue("image/svg+xml");
    assertThat(icon.body()).startsWith("<svg");

    // the status pill in words, counting down, with the code only in the tooltip
    String during = r.path("pillDuring").asText();
    assertThat(during).matches("This tab fell behind\\. Reconnecting in \\d+ s");
    assertThat(during).doesNotContain("4000");
    assertThat(r.path("titleDuring").asText()).isEqualTo("close code 4000: test: connection lost");
    assertThat(r.path("pillLater").asText()).isNotEqualTo(during).doesNotContain("4000");
    assertThat(r.path("pendingMeta").asText()).isEqualTo("waiting for connection");
    assertThat(r.path("hint").asText())
        .isEqualTo("1 message will be sent when the connection is back.");

    // "Retry now" reconnected long before the 30 s backoff step was over
    assertThat(r.path("reconnectMs").asLong()).isLessThan(15_000);
    String epoch = r.path("positionBefore").path("epoch").asText();
    long offset = r.path("positionBefore").path("offset").asLong();
    assertThat(offset).isEqualTo(1);
    assertThat(r.path("resumedFrom").asText())
        .startsWith(
            "ws://127.0.0.1:" + server.port() + "/lobby?since=1&epoch=" + epoch + "&resume_token=")
        .endsWith("&presence=diff");
    // the resume token kept B's client id across the reconnect
    assertThat(r.path("bClientId").asText()).isEqualTo(r.path("bFirstClientId").asText());
    assertThat(r.path("recovered").asInt()).isEqualTo(1);
    // the message typed offline was sent after what B missed (offset 2), confirmed as offset 3;
    // nothing is left pending and every message is shown once, in offset order
    assertThat(r.path("confirmedOffset").asLong()).isEqualTo(3);
    assertThat(r.path("pendingLeft").asInt()).isZero();
    assertThat(r.path("hintHidden").asBoolean()).isTrue();
    List<Long> offsets = new ArrayList<>();
    r.path("offsets").forEach(o -> offsets.add(o.asLong()));
    assertThat(offsets).containsExactly(1L, 2L, 3L);
    // a refused message says so on itself (matched by the id it was sent with), not "sending..."
    assertThat(r.path("refusedMeta").asText())
        .isEqualTo("not sent: content too large (max 32768 bytes)");
    assertThat(r.path("pendingAfterRefusal").asInt()).isZero();
    assertThat(r.path("errorLinesAfterRefusal").asInt()).isZero();

    // an object with text renders as that text and a table of its other fields, not as JSON
    List<String> fields = new ArrayList<>();
    r.path("fields").forEach(f -> fields.add(f.asText()));
    assertThat(fields).containsExactly("service", "build", "tags");
    assertThat(r.path("structuredText").asText())
        .contains("Deploy finished", "api", "42", "blue, green")
        .doesNotContain("{", "\"");

    JsonNode backoff = r.path("backoff");
    assertThat(backoff.path("a1max").asLong()).isBetween(990L, 999L);
    assertThat(backoff.path("a4max").asLong()).isBetween(7990L, 7999L);
    assertThat(backoff.path("a11max").asLong()).isBetween(29990L, 29999L);
    assertThat(backoff.path("min").asLong()).isZero();

    // a phone-sized viewport: nothing wider than the screen, Send and the status on screen
    JsonNode narrow = r.path("narrow");
    assertThat(narrow.path("scrollWidth").asInt())
        .isLessThanOrEqualTo(narrow.path("innerWidth").asInt());
    assertThat(narrow.path("sendVisible").asBoolean()).isTrue();
    assertThat(narrow.path("statusVisible").asBoolean()).isTrue();
    // the member list shows every tab, itself marked; the phone got the conversation so far
    JsonNode members = r.path("membersPanel");
    assertThat(members.path("hidden").asBoolean()).isFalse();
    assertThat(members.path("ids")).hasSize(3);
    assertThat(members.path("ids").toString()).contains(r.path("bClientId").asText());
    assertThat(members.path("names").toString()).contains("(you)");
    List<String> phoneHistory = new ArrayList<>();
    r.path("phoneHistory").forEach(t -> phoneHistory.add(t.asText()));
    assertThat(String.join("|", phoneHistory))
        .contains("hello from A", "sent while B was away", "typed while offline", "B is back")
        .contains("hello from a phone");
    assertThat(r.path("joinedLine").asInt()).isGreaterThanOrEqualTo(1);

    JsonNode metrics = server.metrics();
    assertThat(metrics.path("roomcast").path("resumes_recovered").asLong())
        .isGreaterThanOrEqualTo(1);
    for (Path p : screenshots) {
      assertThat(p).exists();
      assertThat(Files.size(p)).isGreaterThan(1000);
    }
  }
}
