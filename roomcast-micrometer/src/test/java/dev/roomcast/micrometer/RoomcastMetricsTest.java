package dev.roomcast.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roomcast.Connection;
import dev.roomcast.Hub;
import dev.roomcast.JoinRequest;
import dev.roomcast.StreamPosition;
import dev.roomcast.spi.OutboundFrame;
import dev.roomcast.spi.Transport;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class RoomcastMetricsTest {

  private static final Transport SINK =
      new Transport() {
        @Override
        public void send(OutboundFrame frame, WriteCallback done) {
          done.completed(null);
        }

        @Override
        public void close(int code, String reason) {}
      };

  @Test
  void bindsEveryCounterAndGaugeWithoutRoomNames() throws Exception {
    try (Hub hub = Hub.builder().build()) {
      SimpleMeterRegistry registry = new SimpleMeterRegistry();
      new RoomcastMetrics(hub, Tags.of("instance", "a")).bindTo(registry);

      Connection c1 = hub.join(JoinRequest.to("secret-room-name"), SINK);
      hub.join(JoinRequest.to("secret-room-name"), SINK);
      c1.receiveText("{\"content\":1}");
      c1.receiveText("not json");
      String epoch = hub.roomPosition("secret-room-name").epoch();
      hub.join(JoinRequest.to("secret-room-name").resumingFrom(new StreamPosition(epoch, 0)), SINK);
      hub.join(
          JoinRequest.to("secret-room-name").resumingFrom(new StreamPosition("other", 0)), SINK);

      assertThat(registry.get("roomcast.connections").gauge().value()).isEqualTo(4);
      assertThat(registry.get("roomcast.rooms").gauge().value()).isEqualTo(1);
      assertThat(registry.get("roomcast.backplane.up").gauge().value()).isEqualTo(1);
      assertThat(registry.get("roomcast.messages.in").functionCounter().count()).isEqualTo(1);
      assertThat(registry.get("roomcast.errors").functionCounter().count()).isEqualTo(1);
      assertThat(registry.get("roomcast.connections.opened").functionCounter().count())
          .isEqualTo(4);
      assertThat(
              registry.get("roomcast.resumes").tag("recovered", "true").functionCounter().count())
          .isEqualTo(1);
      assertThat(
              registry.get("roomcast.resumes").tag("recovered", "false").functionCounter().count())
          .isEqualTo(1);
      var latency = registry.get("roomcast.delivery.latency").functionTimer();
      // the message to two members, plus once in each resume (the other epoch replays the current)
      assertThat(latency.count()).isEqualTo(4);
      assertThat(latency.totalTime(TimeUnit.MILLISECONDS)).isGreaterThanOrEqualTo(0);

      for (Meter m : registry.getMeters()) {
        assertThat(m.getId().getTag("instance")).isEqualTo("a");
        assertThat(m.getId().getTag("backplane")).isEqualTo("in-memory");
        assertThat(m.getId().getTags().toString()).doesNotContain("secret-room-name");
      }
    }
  }
}
