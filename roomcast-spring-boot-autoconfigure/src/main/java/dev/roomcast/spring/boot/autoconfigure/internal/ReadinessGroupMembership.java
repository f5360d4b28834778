package dev.roomcast.spring.boot.autoconfigure.internal;

import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.health.actuate.endpoint.AdditionalHealthEndpointPath;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointGroup;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointGroups;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointGroupsPostProcessor;
import org.springframework.boot.health.actuate.endpoint.HttpCodeStatusMapper;
import org.springframework.boot.health.actuate.endpoint.StatusAggregator;
import org.springframework.core.Ordered;

/**
 * Adds one health contributor to the {@code readiness} group, whether that group comes from the
 * availability probes ({@code management.endpoint.health.probes.enabled}, or on Kubernetes) or from
 * the application's own {@code management.endpoint.health.group.readiness.*}. Where there is no
 * readiness group, nothing changes (the contributor is still part of {@code /actuator/health}).
 *
 * <p>Why a post-processor rather than a default for {@code ...group.readiness.include}: such a
 * default would create a readiness group in applications that have none (and fail Boot's group
 * membership check where {@code readinessState} is absent), and an application that lists its own
 * members would silently drop roomcast.
 *
 * <p>Runs last ({@link Ordered#LOWEST_PRECEDENCE}, and its auto-configuration after the probes'),
 * so it sees the probes' group. Stateless and thread-safe; the groups it returns are immutable.
 */
public final class ReadinessGroupMembership implements HealthEndpointGroupsPostProcessor, Ordered {
  static final String READINESS = "readiness";

  private final String member;

  /**
   * @param member the contributor's name, e.g. {@code roomcast}
   */
  public ReadinessGroupMembership(String member) {
    this.member = member;
  }

  @Override
  public HealthEndpointGroups postProcessHealthEndpointGroups(HealthEndpointGroups groups) {
    HealthEndpointGroup readiness = groups.get(READINESS);
    if (readiness == null || readiness.isMember(member)) {
      return groups;
    }
    Map<String, HealthEndpointGroup> named = new LinkedHashMap<>();
    for (String name : groups.getNames()) {
      named.put(name, groups.get(name));
    }
    named.put(READINESS, new WithMember(readiness, member));
    return HealthEndpointGroups.of(groups.getPrimary(), named);
  }

  @Override
  public int getOrder() {
    return Ordered.LOWEST_PRECEDENCE;
  }

  /** A group with one more member; everything else is the original group's. */
  private record WithMember(HealthEndpointGroup group, String member)
      implements HealthEndpointGroup {
    @Override
    public boolean isMember(String name) {
      return member.equals(name) || group.isMember(name);
    }

    @Override
    public boolean showComponents(SecurityContext securityContext) {
      return group.showComponents(securityContext);
    }

    @Override
    public boolean showDetails(SecurityContext securityContext) {
      return group.showDetails(securityContext);
    }

    @Override
    public StatusAggregator getStatusAggregator() {
      return group.getStatusAggregator();
    }

    @Override
    public HttpCodeStatusMapper getHttpCodeStatusMapper() {
      return group.getHttpCodeStatusMapper();
    }

    @Override
    public AdditionalHealthEndpointPath getAdditionalPath() {
      return group.getAdditionalPath();
    }
  }
}
