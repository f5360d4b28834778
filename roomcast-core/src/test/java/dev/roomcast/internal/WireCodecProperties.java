package dev.roomcast.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.roomcast.Hub;
import dev.roomcast.JoinRequest;
import dev.roomcast.Limits;
import dev.roomcast.OutboxLimits;
import dev.roomcast.testing.RecordingTransport;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Properties of the inbound decoder, the code every stranger's frame goes through: whatever the
 * text, {@link WireCodec#decodeContent} returns content or throws {@link InvalidInputException}
 * (whose message goes into an error frame) and nothing else; valid content comes back as the same
 * JSON value; the depth and size limits hold. The same through a {@link Hub}: every inbound frame
 * yields a room message or an error frame, never a close or an escaped exception.
 */
class WireCodecProperties {
  private static final int DEPTH = 8;
  private static final int CONTENT_BYTES = 2048;
  private static final ObjectMapper PLAIN = new ObjectMapper();
  // decimals as BigDecimal, so "equal JSON value" below means equal digits, not equal doubles
  private static final ObjectMapper EXACT =
      com.fasterxml.jackson.databind.json.JsonMapper.builder()
          .enable(com.fasterxml.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .disable(
              com.fasterxml.jackson.databind.cfg.JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
          .build();
  private static final WireCodec CODEC = new WireCodec(DEPTH, CONTENT_BYTES);

  private static Hub hub;

  @BeforeContainer
  static void startHub() {
    hub =
        Hub.builder()
            .limits(
                Limits.defaults()
                    .withMaxJsonDepth(DEPTH)
                    .withMaxContentBytes(CONTENT_BYTES)
                    .withMaxMessageBytes(16 * 1024)
                    .withPublishRate(1_000_000, 1_000_000))
            .outboxLimits(new OutboxLimits(1_000_000, 1L << 30))
            .build();
  }

  @AfterContainer
  static void stopHub() {
    hub.close();
  }

  @Property(tries = 2000)
  void anyStringDecodesOrIsRefusedWithASafeMessage(@ForAll("frames") String text) {
    Throwable t = catchThrowable(() -> checkDecoded(CODEC.decodeContent(text)));
    if (t != null) {
      assertThat(t).isInstanceOf(InvalidInputException.class);
      assertSafe(t.getMessage());
    }
  }

  @Property(tries = 1000)
  void validContentRoundTripsExactly(@ForAll("trees") JsonNode content) throws Exception {
    String frame = "{\"content\":" + PLAIN.writeValueAsString(content) + "}";
    int depth = depth(content) + 1; // the frame's own object
    int bytes = PLAIN.writeValueAsString(content).getBytes(StandardCharsets.UTF_8).length;
    Throwable t = catchThrowable(() -> CODEC.decodeContent(frame));
    if (depth > DEPTH) {
      assertThat(t).isInstanceOf(InvalidInputException.class).hasMessage("JSON nested too deeply");
    } else if (bytes > CONTENT_BYTES) {
      assertThat(t).isInstanceOf(InvalidInputException.class).hasMessageContaining("too large");
    } else {
      assertThat(t).isNull();
      String decoded = CODEC.decodeContent(frame);
      assertThat(EXACT.readTree(decoded))
          .isEqualTo(EXACT.readTree(PLAIN.writeValueAsString(content)));
    }
  }

  @Property(tries = 300)
  void numbersKeepTheirValue(@ForAll("numbers") String number) throws Exception {
    String decoded = CODEC.decodeContent("{\"content\":" + number + "}");
    checkDecoded(decoded);
    assertThat(new BigDecimal(decoded)).isEqualByComparingTo(new BigDecimal(number));
  }

  @Property(tries = 50)
  void nestingIsRefusedExactlyBeyondTheLimit(@ForAll @IntRange(min = 1, max = 40) int depth) {
    String frame = "{\"content\":" + "[".repeat(depth) + "]".repeat(depth) + "}";
    Throwable t = catchThrowable(() -> CODEC.decodeContent(frame));
    if (depth + 1 > DEPTH) {
      assertThat(t).isInstanceOf(InvalidInputException.class).hasMessage("JSON nested too deeply");
    } else {
      assertThat(t).isNull();
    }
  }

  @Property(tries = 500)
  void everyFrameThroughTheHubYieldsAMessageOrAnErrorFrame(@ForAll("frames") String text)
      throws Exception {
    RecordingTransport t = new RecordingTransport();
    var c = hub.join(JoinRequest.to("prop"), t);
    try {
      c.receiveText(text);
      t.await(fs -> fs.size() >= 2, java.time.Duration.ofSeconds(5)); // the welcome and the answer
      List<JsonNode> frames = t.json();
      JsonNode answer = frames.get(1);
      String type = answer.path("type").asText();
      assertThat(type).isIn("message", "error");
      if (type.equals("error")) {
        assertSafe(answer.path("message").asText());
      } else {
        assertThat(answer.path("content").isMissingNode()).isFalse();
      }
      assertThat(c.isOpen()).isTrue();
      assertThat(t.closeCode()).isEqualTo(-1);
    } finally {
      c.close(1000, "done");
    }
  }

  /** Decoded content is one compact JSON value within the byte limit. */
  private static void checkDecoded(String content) throws Exception {
    assertThat(content.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(CONTENT_BYTES);
    JsonNode n = PLAIN.readTree(content);
    assertThat(n).isNotNull();
    assertThat(n.isMissingNode()).isFalse();
  }

  private static void assertSafe(String message) {
    assertThat(message).isNotBlank().hasSizeLessThan(200);
    assertThat(message).doesNotContain("Exception", "com.fasterxml", "java.", "\tat ", "Source:");
  }

  private static int depth(JsonNode n) {
    if (!n.isContainerNode()) {
      return 0;
    }
    int max = 0;
    for (JsonNode child : n) {
      max = Math.max(max, depth(child));
    }
    return max + 1;
  }

  @Provide
  Arbitrary<String> frames() {
    Arbitrary<String> anyText = Arbitraries.strings().all().ofMaxLength(300);
    Arbitrary<String> jsonish =
        Arbitraries.strings()
            .withChars("{}[]\":,0123456789.eE+-tfnul\\ \tabc\u00e9\ud83d\ude00")
            .ofMaxLength(60);
    Arbitrary<String> wrapped =
        Combinators.combine(jsonish, Arbitraries.of("", "}", "]", "\"", " "))
            .as((body, tail) -> "{\"content\":" + body + tail);
    Arbitrary<String> validFrames =
        trees().map(WireCodecProperties::writeQuietly).map(s -> "{\"content\":" + s + "}");
    Arbitrary<String> other =
        Arbitraries.of(
            "",
            " ",
            "null",
            "[]",
            "42",
            "\"content\"",
            "{}",
            "{\"content\":null}",
            "{\"content\":1}{}",
            "{\"content\":1,\"content\":2}",
            "{\"content\":\"\\ud800\"}",
            "{\"content\":1e999999}",
            "{\"content\":-0}",
            "{\"content\":" + "9".repeat(2000) + "}",
            "{\"content\":" + "[".repeat(5000) + "]".repeat(5000) + "}",
            "{\"content\":\"" + "x".repeat(5000) + "\"}",
            "{\"content\":NaN}",
            "{\"content\":'single'}",
            "{content:1}",
            "\ufeff{\"content\":1}");
    return Arbitraries.oneOf(anyText, wrapped, validFrames, other);
  }

  @Provide
  Arbitrary<String> numbers() {
    Arbitrary<String> ints =
        Arbitraries.bigIntegers()
            .between(BigInteger.TEN.pow(40).negate(), BigInteger.TEN.pow(40))
            .map(BigInteger::toString);
    Arbitrary<String> decimals =
        Combinators.combine(
                Arbitraries.longs(),
                Arbitraries.strings().numeric().ofMinLength(1).ofMaxLength(30),
                Arbitraries.integers().between(-400, 400))
            .as((i, frac, exp) -> i + "." + frac + "e" + exp);
    return Arbitraries.oneOf(
        ints, decimals, Arbitraries.of("0", "-0", "0.0", "1E400", "-1e-400", "1.50"));
  }

  @Provide
  Arbitrary<JsonNode> trees() {
    JsonNodeFactory f = JsonNodeFactory.instance;
    Arbitrary<JsonNode> leaf =
        Arbitraries.oneOf(
            Arbitraries.strings().all().ofMaxLength(40).map(f::textNode),
            Arbitraries.longs().map(f::numberNode),
            Arbitraries.bigDecimals().ofScale(6).map(d -> (JsonNode) f.numberNode(d)),
            Arbitraries.of(true, false).map(f::booleanNode),
            Arbitraries.just(f.nullNode()));
    // a random depth from 0 to 10 (the limit under test is 8), one container per level
    return Arbitraries.recursive(() -> leaf, inner -> container(f, inner, leaf), 0, 10);
  }

  private static Arbitrary<JsonNode> container(
      JsonNodeFactory f, Arbitrary<JsonNode> inner, Arbitrary<JsonNode> leaf) {
    Arbitrary<JsonNode> array =
        Combinators.combine(inner, leaf.list().ofMaxSize(3), Arbitraries.integers().between(0, 3))
            .as(
                (deep, others, at) -> {
                  ArrayNode a = f.arrayNode();
                  others.forEach(a::add);
                  a.insert(Math.min(at, others.size()), deep);
                  return (JsonNode) a;
                });
    Arbitrary<JsonNode> object =
        Combinators.combine(
                inner,
                Arbitraries.strings().all().ofMaxLength(10),
                Combinators.combine(Arbitraries.strings().all().ofMaxLength(10), leaf)
                    .as(java.util.Map::entry)
                    .list()
                    .ofMaxSize(2))
            .as(
                (deep, key, others) -> {
                  ObjectNode o = f.objectNode();
                  others.forEach(e -> o.set(e.getKey(), e.getValue()));
                  o.set(key, deep);
                  return (JsonNode) o;
                });
    return Arbitraries.oneOf(array, object);
  }

  private static String writeQuietly(JsonNode n) {
    try {
      return PLAIN.writeValueAsString(n);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
