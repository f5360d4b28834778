package dev.roomcast.example;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.roomcast.BackoffPolicy;
import dev.roomcast.jakarta.testkit.WsClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * roomcast.js under Node: its backoff gives exactly {@link BackoffPolicy}'s delays for the same
 * settings and random numbers, the server serves it as a module any origin may import, and the
 * docs' Node example (with the {@code ws} package) chats with the server.
 */
@Tag("slow")
class RoomcastJsTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static TestServer server;

  @BeforeAll
  static void start() throws Exception {
    NodeTools.install();
    NodeTools.copyClientModule();
    server = TestServer.start();
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  /** One comparison: settings (null for the defaults), attempts, and the random numbers. */
  record Case(
      BackoffPolicy.Builder settings, ObjectNode jsOptions, List<Integer> attempts, long seed) {
    List<Double> randoms() {
      Random r = new Random(seed);
      // one per attempt is more than enough: a policy that gives up takes none
      return IntStream.range(0, attempts.size()).mapToObj(i -> r.nextDouble()).toList();
    }

    List<Long> javaDelays() {
      Iterator<Double> rs = randoms().iterator();
      BackoffPolicy policy = settings.random(rs::next).build();
      List<Long> out = new ArrayList<>();
      for (int a : attempts) {
        var d = policy.delayMillis(a);
        out.add(d.isPresent() ? d.getAsLong() : null);
      }
      return out;
    }
  }

  @Test
  void theBackoffMatchesTheJavaPolicyForTheSameRandomNumbers() throws Exception {
    String node = NodeTools.require("node", "apt-get install -y nodejs");
    NodeTools.copyAsIs("backoff-parity.mjs");
    List<Integer> first8 = IntStream.rangeClosed(1, 8).boxed().toList();
    List<Integer> many = new ArrayList<>(IntStream.rangeClosed(1, 40).boxed().toList());
    many.addAll(List.of(64, 1000, 1_000_000, Integer.MAX_VALUE));
    ObjectNode custom =
        JSON.createObjectNode()
            .put("initialDelayMs", 250)
            .put("multiplier", 1.5)
            .put("maxDelayMs", 10_000)
            .put("maxAttempts", 6);
    ObjectNode steep =
        JSON.createObjectNode()
            .put("initialDelayMs", 50)
            .put("multiplier", 3)
            .put("maxDelayMs", 400);
    List<Case> cases =
        List.of(
            new Case(BackoffPolicy.builder(), null, first8, 42),
            new Case(BackoffPolicy.builder(), null, many, 7),
            new Case(
                BackoffPolicy.builder()
                    .initialDelay(Duration.ofMillis(250))
                    .multiplier(1.5)
                    .maxDelay(Duration.ofSeconds(10))
                    .maxAttempts(6),
                custom,
                IntStream.rangeClosed(1, 9).boxed().toList(),
                1),
            new Case(
                BackoffPolicy.builder()
                    .initialDelay(Duration.ofMillis(50))
                    .multiplier(3)
                    .maxDelay(Duration.ofMillis(400)),
                steep,
                IntStream.rangeClosed(1, 12).boxed().toList(),
                2));

    ArrayNode input = JSON.createArrayNode();
    for (Case c : cases) {
      ObjectNode o = input.addObject();
      o.set("options", c.jsOptions());
      ArrayNode attempts = o.putArray("attempts");
      c.attempts().forEach(attempts::add);
      ArrayNode randoms = o.putArray("randoms");
      c.randoms().forEach(randoms::add);
    }
    Path file = NodeTools.WORK.resolve("backoff-cases.json");
    Files.writeString(file, JSON.writeValueAsString(input));
    NodeTools.Output out =
        NodeTools.run(
            List.of(node, "backoff-parity.mjs", file.toString()), Map.of(), Duration.ofSeconds(30));
    JsonNode r = SeedClientsTest.result(out);
    assertThat(r.path("ok").asBoolean()).as(out.text()).isTrue();

    for (int i = 0; i < cases.size(); i++) {
      List<Long> js = new ArrayList<>();
      r.path("delays").get(i).forEach(d -> js.add(d.isNull() ? null : d.asLong()));
      assertThat(js).as("case " + i).isEqualTo(cases.get(i).javaDelays());
    }
    // the sequence BackoffPolicyTest pins for Random(42) and the defaults
    assertThat(cases.get(0).javaDelays())
        .containsExactly(727L, 1366L, 1234L, 2216L, 10648L, 27101L, 11063L, 8272L);
    // the same defaults
    JsonNode d = r.path("defaults");
    BackoffPolicy defaults = BackoffPolicy.defaults();
    assertThat(d.path("initialDelayMs").asLong()).isEqualTo(defaults.initialDelay().toMillis());
    assertThat(d.path("multiplier").asDouble()).isEqualTo(defaults.multiplier());
    assertThat(d.path("maxDelayMs").asLong()).isEqualTo(defaults.maxDelay().toMillis());
    assertThat(d.path("maxAttempts").asInt()).isEqualTo(defaults.maxAttempts());
    assertThat(d.path("offlineQueueSize").asInt())
        .isEqualTo(dev.roomcast.client.RoomcastClient.DEFAULT_OFFLINE_QUEUE_CAPACITY);
  }

  @Test
  void theServerServesTheModuleToAnyOrigin() {
    var res = server.get("/roomcast.js");
    assertThat(res.statusCode()).isEqualTo(200);
    assertThat(res.headers().firstValue("Content-Type"))
        .hasValueSatisfying(t -> assertThat(t).startsWith("text/javascript"));
    assertThat(res.headers().firstValue("Access-Control-Allow-Origin")).hasValue("*");
    assertThat(res.body())
        .contains("export function connect(")
        .contains("export class RoomcastClient");
  }

  @Test
  void theNodeExampleChatsThroughTheServer() throws Exception {
    String node = NodeTools.require("node", "apt-get install -y nodejs");
    NodeTools.copyAsIs("node-client.mjs");
    try (WsClient java = WsClient.connect(server.ws("/node-room"))) {
      java.next("system");
      NodeTools.Output out =
          NodeTools.run(
              List.of(node, "node-client.mjs", "ws://127.0.0.1:" + server.port(), "node-room"),
              Map.of(),
              Duration.ofSeconds(30));
      JsonNode r = SeedClientsTest.result(out);
      assertThat(r.path("ok").asBoolean()).as(out.text()).isTrue();
      assertThat(r.path("echo").path("text").asText()).isEqualTo("hello from node");
      assertThat(r.path("position").path("offset").asLong()).isEqualTo(1);
      JsonNode m = java.next("message");
      assertThat(m.path("client_id").asText()).isEqualTo(r.path("clientId").asText());
      assertThat(m.path("content").path("text").asText()).isEqualTo("hello from node");
    }
  }
}
