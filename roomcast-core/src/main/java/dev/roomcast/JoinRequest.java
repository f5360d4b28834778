package dev.roomcast;

import java.util.Objects;

/**
 * What a transport asks of {@link Hub#join}: the room, an optional resume position, whether the
 * connection may publish, and who is asking. Immutable.
 *
 * @param room the room name, URL-decoded; empty means {@link RoomNames#DEFAULT_ROOM}
 * @param resumeFrom the last position the client saw, or {@code null} for a fresh join
 * @param canPublish {@code false} for receive-only transports such as SSE
 * @param identity who is joining, from {@link Hub#authenticate}; checked by the {@link
 *     RoomAuthorizer} on join and on every publish
 * @param resumeToken the {@code resume_token} of an earlier welcome, to keep that client id, or
 *     {@code null}
 * @param presenceDiffs whether this client gets {@code presence} and {@code presence_diff} frames
 *     (the room's members after the welcome, then each join and leave) instead of the seed's text
 *     notices
 * @param history for a fresh join, how many of the room's latest messages to send after the welcome
 *     (0: none); capped by {@link Hub.Builder#maxHistoryOnJoin}; ignored when resuming
 */
public record JoinRequest(
    String room,
    StreamPosition resumeFrom,
    boolean canPublish,
    Identity identity,
    int history,
    String resumeToken,
    boolean presenceDiffs) {

  public JoinRequest {
    Objects.requireNonNull(room, "room");
    Objects.requireNonNull(identity, "identity");
    if (history < 0) {
      throw new IllegalArgumentException("history must be >= 0, was " + history);
    }
  }

  /** A join without history on join. */
  public JoinRequest(
      String room, StreamPosition resumeFrom, boolean canPublish, Identity identity) {
    this(room, resumeFrom, canPublish, identity, 0, null, false);
  }

  /** An anonymous join. */
  public JoinRequest(String room, StreamPosition resumeFrom, boolean canPublish) {
    this(room, resumeFrom, canPublish, Identity.anonymous());
  }

  /** A fresh, anonymous join that may publish. */
  public static JoinRequest to(String room) {
    return new JoinRequest(room, null, true, Identity.anonymous());
  }

  /** The same join, resuming after {@code position} ({@code null} for a fresh join). */
  public JoinRequest resumingFrom(StreamPosition position) {
    return new JoinRequest(
        room, position, canPublish, identity, history, resumeToken, presenceDiffs);
  }

  /** The same join, receive-only. */
  public JoinRequest receiveOnly() {
    return new JoinRequest(room, resumeFrom, false, identity, history, resumeToken, presenceDiffs);
  }

  /** The same join, as {@code identity}. */
  public JoinRequest as(Identity identity) {
    return new JoinRequest(
        room, resumeFrom, canPublish, identity, history, resumeToken, presenceDiffs);
  }

  /** The same join, asking for the room's latest {@code count} messages after the welcome. */
  public JoinRequest withHistory(int count) {
    return new JoinRequest(
        room, resumeFrom, canPublish, identity, count, resumeToken, presenceDiffs);
  }

  /** The same join, asking for presence frames instead of text notices. */
  public JoinRequest withPresenceDiffs() {
    return new JoinRequest(room, resumeFrom, canPublish, identity, history, resumeToken, true);
  }

  /** The same join, presenting an earlier welcome's {@code resume_token} ({@code null}: none). */
  public JoinRequest withResumeToken(String token) {
    return new JoinRequest(room, resumeFrom, canPublish, identity, history, token, presenceDiffs);
  }
}
