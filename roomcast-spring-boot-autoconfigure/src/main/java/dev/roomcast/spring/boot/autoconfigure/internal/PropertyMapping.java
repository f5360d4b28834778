package dev.roomcast.spring.boot.autoconfigure.internal;

import dev.roomcast.Hub;
import dev.roomcast.Limits;
import dev.roomcast.NoticePolicy;
import dev.roomcast.OutboxLimits;
import dev.roomcast.spring.boot.autoconfigure.InvalidRoomcastPropertyException;
import dev.roomcast.spring.boot.autoconfigure.RoomcastProperties;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * Turns {@link RoomcastProperties} into the library's configuration objects. Every value goes
 * through the library's own setter or constructor, which checks it; a refusal comes back as an
 * {@link InvalidRoomcastPropertyException} naming the property. Stateless. The WebSocket and SSE
 * settings are in {@link EndpointPropertyMapping}, apart because they need roomcast-jakarta on the
 * class path.
 */
public final class PropertyMapping {
  private PropertyMapping() {}

  /** Limits, outbox bounds, notices and connection age onto {@code builder}. */
  public static Hub.Builder applyTo(Hub.Builder builder, RoomcastProperties p) {
    RoomcastProperties.Limits l = p.getLimits();
    Limits limits = Limits.defaults();
    limits =
        check(
            "roomcast.limits.max-message-bytes",
            limits,
            x -> x.withMaxMessageBytes(l.getMaxMessageBytes()));
    limits =
        check(
            "roomcast.limits.max-json-depth", limits, x -> x.withMaxJsonDepth(l.getMaxJsonDepth()));
    limits =
        check(
            "roomcast.limits.max-content-bytes",
            limits,
            x -> x.withMaxContentBytes(l.getMaxContentBytes()));
    limits =
        check(
            "roomcast.limits.max-connections",
            limits,
            x -> x.withMaxConnections(l.getMaxConnections()));
    limits = check("roomcast.limits.max-rooms", limits, x -> x.withMaxRooms(l.getMaxRooms()));
    limits =
        check(
            "roomcast.limits.publish-rate / publish-burst",
            limits,
            x -> x.withPublishRate(l.getPublishRate(), l.getPublishBurst()));
    limits =
        check(
            "roomcast.limits.max-queued-messages",
            limits,
            x -> x.withMaxQueuedMessages(l.getMaxQueuedMessages()));
    builder.limits(limits);

    RoomcastProperties.Outbox o = p.getOutbox();
    builder.outboxLimits(
        value(
            "roomcast.outbox.max-frames / max-bytes",
            () -> new OutboxLimits(o.getMaxFrames(), o.getMaxBytes())));

    String notices = p.getNotices();
    builder.notices(
        value("roomcast.notices", () -> NoticePolicy.parse(notices == null ? "" : notices)));

    Duration maxAge = required("roomcast.max-connection-age", p.getMaxConnectionAge());
    if (maxAge.isNegative()) {
      throw new InvalidRoomcastPropertyException(
          "roomcast.max-connection-age", "must be 0 (off) or positive, was " + maxAge);
    }
    if (!maxAge.isZero()) {
      Duration jitter =
          p.getMaxConnectionAgeJitter() != null
              ? p.getMaxConnectionAgeJitter()
              : maxAge.dividedBy(10);
      value("roomcast.max-connection-age-jitter", () -> builder.maxConnectionAge(maxAge, jitter));
    }
    RoomcastProperties.Session session = p.getSession();
    String secret = session.getResumeSecret();
    if (secret != null && !secret.isBlank()) {
      byte[] bytes = secret.getBytes(java.nio.charset.StandardCharsets.UTF_8);
      if (bytes.length < 32) {
        // never the value itself: it is a secret
        throw new InvalidRoomcastPropertyException(
            "roomcast.session.resume-secret",
            "must be at least 32 bytes, was " + bytes.length + " bytes");
      }
      builder.resumeSecret(bytes);
    }
    Duration grace = required("roomcast.session.resume-grace", session.getResumeGrace());
    value("roomcast.session.resume-grace", () -> builder.resumeGrace(grace));
    value(
        "roomcast.session.max-history-on-join",
        () -> builder.maxHistoryOnJoin(session.getMaxHistoryOnJoin()));
    Duration timeout = required("roomcast.session.handler-timeout", session.getHandlerTimeout());
    value("roomcast.session.handler-timeout", () -> builder.handlerTimeout(timeout));
    return builder;
  }

  /** A servlet URL pattern for {@code base/*} from a base path property such as {@code /events}. */
  public static String servletMapping(String property, String path) {
    if (path == null || !path.startsWith("/") || path.length() < 2 || path.endsWith("/")) {
      throw new InvalidRoomcastPropertyException(
          property,
          "must be a path like /events (starting with '/', not ending with one), was '"
              + path
              + "'");
    }
    if (path.contains("*") || path.contains("{") || path.contains("?") || path.contains("#")) {
      throw new InvalidRoomcastPropertyException(
          property,
          "must be a plain path without wildcards, templates or query, was '" + path + "'");
    }
    return path + "/*";
  }

  /** The drain spread. */
  public static Duration drainTime(RoomcastProperties p) {
    Duration d = required("roomcast.drain.time", p.getDrain().getTime());
    if (d.isNegative()) {
      throw new InvalidRoomcastPropertyException(
          "roomcast.drain.time", "must not be negative, was " + d);
    }
    return d;
  }

  static <T> T required(String property, T value) {
    if (value == null) {
      throw new InvalidRoomcastPropertyException(property, "must be set");
    }
    return value;
  }

  private static Limits check(
      String property, Limits limits, java.util.function.UnaryOperator<Limits> change) {
    return value(property, () -> change.apply(limits));
  }

  /** Runs a library setter, turning its refusal into an error that names the property. */
  static <T> T value(String property, Supplier<T> setter) {
    try {
      return setter.get();
    } catch (InvalidRoomcastPropertyException e) {
      throw e;
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw new InvalidRoomcastPropertyException(property, e.getMessage(), e);
    }
  }
}
