package dev.roomcast.grizzly.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The edge's pure parts: client addresses, counts per address, publish rate buckets. */
class EdgeUnitsTest {

  @Test
  void theClientAddressIsTheSocketsUnlessProxiesAreTrusted() {
    assertThat(ClientAddress.of("10.0.0.9", List.of("1.2.3.4"), 0)).isEqualTo("10.0.0.9");
    assertThat(ClientAddress.of("10.0.0.9", List.of(), 1)).isEqualTo("10.0.0.9");
    assertThat(ClientAddress.of("10.0.0.9", List.of("1.2.3.4"), 1)).isEqualTo("1.2.3.4");
    // a client-written entry in front of the proxy's is ignored
    assertThat(ClientAddress.of("10.0.0.9", List.of("6.6.6.6, 1.2.3.4"), 1)).isEqualTo("1.2.3.4");
    assertThat(ClientAddress.of("10.0.0.9", List.of("6.6.6.6", "1.2.3.4, 10.1.1.1"), 2))
        .isEqualTo("1.2.3.4");
    assertThat(ClientAddress.of("10.0.0.9", List.of("2001:db8::1"), 1)).isEqualTo("2001:db8::1");
    // fewer entries than trusted hops, or junk: the socket's
    assertThat(ClientAddress.of("10.0.0.9", List.of("1.2.3.4"), 2)).isEqualTo("10.0.0.9");
    assertThat(ClientAddress.of("10.0.0.9", List.of("evil<script>"), 1)).isEqualTo("10.0.0.9");
  }

  @Test
  void countsPerAddressStopAtTheirLimitsAndLeaveNothingBehind() {
    AddressCounts counts = new AddressCounts(2, 3);
    assertThat(counts.acquire("a")).isEqualTo(AddressCounts.Result.OK);
    assertThat(counts.acquire("a")).isEqualTo(AddressCounts.Result.OK);
    assertThat(counts.acquire("a")).isEqualTo(AddressCounts.Result.ADDRESS_FULL);
    assertThat(counts.acquire("b")).isEqualTo(AddressCounts.Result.OK);
    assertThat(counts.acquire("c")).isEqualTo(AddressCounts.Result.ALL_FULL);
    assertThat(counts.total()).isEqualTo(3);
    counts.release("a");
    counts.release("a");
    counts.release("b");
    assertThat(counts.total()).isZero();
    assertThat(counts.addresses()).isZero();
    AddressCounts unlimited = new AddressCounts(0, 0);
    for (int i = 0; i < 10_000; i++) {
      assertThat(unlimited.acquire("x")).isEqualTo(AddressCounts.Result.OK);
    }
  }

  @Test
  void aPublishNeedsATokenFromEveryBucketAndTakesNoneOtherwise() {
    AtomicLong now = new AtomicLong();
    PublishRateLimiter rate = new PublishRateLimiter(2, 2, now::get);
    assertThat(rate.acquire("address", "alice")).isZero();
    assertThat(rate.acquire("address", "alice")).isZero();
    long wait = rate.acquire("address", "alice");
    assertThat(wait).isBetween(1L, 500_000_000L); // half a second at 2/s
    // alice's other address: her subject bucket is empty, so the new address keeps its token
    assertThat(rate.acquire("other-address", "alice")).isPositive();
    assertThat(rate.acquire("other-address", null)).isZero();
    assertThat(rate.acquire("other-address", null)).isZero();
    now.addAndGet(500_000_000L);
    assertThat(rate.acquire("address", "alice")).isZero();
  }

  @Test
  void quietKeysAreForgottenSoTheMapStaysBounded() {
    AtomicLong now = new AtomicLong();
    PublishRateLimiter rate = new PublishRateLimiter(1000, 1, now::get);
    for (int i = 0; i < PublishRateLimiter.MAX_KEYS; i++) {
      rate.acquire("k" + i);
    }
    now.addAndGet(1_000_000_000L); // every bucket full again
    rate.acquire("one-more");
    assertThat(rate.keys()).isLessThan(10);
  }
}
