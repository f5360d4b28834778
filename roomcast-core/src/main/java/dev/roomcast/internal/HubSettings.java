package dev.roomcast.internal;

import dev.roomcast.Limits;
import dev.roomcast.MessageHandler;
import dev.roomcast.NoticePolicy;
import dev.roomcast.OutboxLimits;
import dev.roomcast.RoomAuthorizer;
import dev.roomcast.spi.Backplane;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * Everything a {@link HubEngine} is built from, checked by {@link dev.roomcast.Hub.Builder}.
 * Immutable.
 *
 * @param maxAge connection max age, or {@code null} for none
 * @param maxAgeJitter how much earlier than {@code maxAge} a connection may be closed
 */
public record HubSettings(
    String nodeId,
    Backplane backplane,
    Limits limits,
    OutboxLimits outboxLimits,
    NoticePolicy noticePolicy,
    Clock clock,
    Duration gapTimeout,
    Duration positionTimeout,
    RoomAuthorizer authorizer,
    Duration maxAge,
    Duration maxAgeJitter,
    MessageHandler messageHandler,
    Duration handlerTimeout,
    int maxHistoryOnJoin,
    byte[] resumeSecret,
    Duration resumeGrace) {

  public HubSettings {
    Objects.requireNonNull(nodeId, "nodeId");
    Objects.requireNonNull(backplane, "backplane");
    Objects.requireNonNull(limits, "limits");
    Objects.requireNonNull(outboxLimits, "outboxLimits");
    Objects.requireNonNull(noticePolicy, "noticePolicy");
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(gapTimeout, "gapTimeout");
    Objects.requireNonNull(positionTimeout, "positionTimeout");
    Objects.requireNonNull(authorizer, "authorizer");
    Objects.requireNonNull(maxAgeJitter, "maxAgeJitter");
    Objects.requireNonNull(messageHandler, "messageHandler");
    Objects.requireNonNull(handlerTimeout, "handlerTimeout");
  }
}
