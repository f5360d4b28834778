package dev.roomcast.client;

import java.time.Duration;

/**
 * Why and when a {@link RoomcastClient} connects again. Immutable.
 *
 * @param attempt the consecutive failed attempts so far; 0 for an immediate reconnect after a
 *     welcomed connection closed with a code that asks for one (1012, 4001) or to resume across a
 *     gap
 * @param delay how long the client waits before connecting
 * @param code the close code that ended the last connection or attempt, 1006 when it ended without
 *     one (refused, reset, handshake failed, no welcome in time)
 * @param reason the close reason or the failure's message
 */
public record Reconnecting(int attempt, Duration delay, int code, String reason) {}
