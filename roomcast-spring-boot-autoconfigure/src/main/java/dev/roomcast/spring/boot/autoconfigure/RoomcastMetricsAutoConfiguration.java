package dev.roomcast.spring.boot.autoconfigure;

import dev.roomcast.Hub;
import dev.roomcast.micrometer.RoomcastMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * The hub's counters and gauges as Micrometer meters ({@code roomcast.*}, no room names as tags): a
 * {@link RoomcastMetrics} binder, which Spring Boot binds to every {@link MeterRegistry} it
 * configures (with Actuator: {@code /actuator/metrics/roomcast.connections}, Prometheus, ...).
 * Without a registry the binder stays unused.
 */
@AutoConfiguration(after = RoomcastAutoConfiguration.class)
@ConditionalOnClass({MeterRegistry.class, RoomcastMetrics.class})
@ConditionalOnBean(Hub.class)
public class RoomcastMetricsAutoConfiguration {

  @Bean
  @ConditionalOnMissingBean
  public RoomcastMetrics roomcastMetrics(Hub hub) {
    return new RoomcastMetrics(hub);
  }
}
