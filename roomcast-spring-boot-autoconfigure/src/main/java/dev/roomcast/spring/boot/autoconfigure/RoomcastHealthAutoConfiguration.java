package dev.roomcast.spring.boot.autoconfigure;

import dev.roomcast.Hub;
import dev.roomcast.spring.boot.autoconfigure.internal.ReadinessGroupMembership;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The {@code roomcast} health contributor ({@link RoomcastHealthIndicator}), part of the {@code
 * readiness} group wherever the application has one ({@code /actuator/health/readiness}: probes
 * enabled, or on Kubernetes). Turn it off with {@code management.health.roomcast.enabled=false}.
 */
@AutoConfiguration(
    after = RoomcastAutoConfiguration.class,
    afterName =
        "org.springframework.boot.health.autoconfigure.actuate.endpoint.AvailabilityProbesAutoConfiguration")
@ConditionalOnClass(HealthIndicator.class)
@ConditionalOnBean(Hub.class)
@ConditionalOnEnabledHealthIndicator("roomcast")
public class RoomcastHealthAutoConfiguration {

  /** Bean name {@code roomcastHealthIndicator}: the contributor is named {@code roomcast}. */
  @Bean
  @ConditionalOnMissingBean(name = "roomcastHealthIndicator")
  public RoomcastHealthIndicator roomcastHealthIndicator(Hub hub) {
    return new RoomcastHealthIndicator(hub);
  }

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(
      name = {
        "org.springframework.boot.health.actuate.endpoint.HealthEndpointGroupsPostProcessor",
        "org.springframework.boot.actuate.endpoint.SecurityContext"
      })
  static class ReadinessGroupConfiguration {
    @Bean
    ReadinessGroupMembership roomcastReadinessGroupMembership() {
      return new ReadinessGroupMembership("roomcast");
    }
  }
}
