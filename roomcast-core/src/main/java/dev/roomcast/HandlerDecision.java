package dev.roomcast;

import java.util.Objects;

/**
 * A {@link MessageHandler}'s answer for one message: publish it as sent, publish a replacement, or
 * reject it with a reason the sender sees. Immutable.
 */
public final class HandlerDecision {
  private static final HandlerDecision PUBLISH = new HandlerDecision(null, null);

  private final String replacementJson;
  private final String rejection;

  private HandlerDecision(String replacementJson, String rejection) {
    this.replacementJson = replacementJson;
    this.rejection = rejection;
  }

  /** Publish the message as the client sent it. */
  public static HandlerDecision publish() {
    return PUBLISH;
  }

  /**
   * Publish this content instead (any JSON value as text). Invalid JSON, or content over {@link
   * Limits#maxContentBytes()}, rejects the message with a clear error instead.
   */
  public static HandlerDecision replace(String contentJson) {
    return new HandlerDecision(Objects.requireNonNull(contentJson, "contentJson"), null);
  }

  /**
   * Do not publish; the sender gets {@code {"type":"error","message":"<reason>"}} and stays
   * connected. The reason is shown to the client as is: keep it free of internals.
   */
  public static HandlerDecision reject(String reason) {
    Objects.requireNonNull(reason, "reason");
    if (reason.isBlank()) {
      throw new IllegalArgumentException("reason must not be blank");
    }
    return new HandlerDecision(null, reason);
  }

  /** Whether the message is rejected. */
  public boolean isRejected() {
    return rejection != null;
  }

  /** The rejection reason, or {@code null}. */
  public String rejection() {
    return rejection;
  }

  /** The replacement content, or {@code null} to publish as sent (or when rejected). */
  public String replacementJson() {
    return replacementJson;
  }

  @Override
  public String toString() {
    return rejection != null
        ? "reject(" + rejection + ")"
        : replacementJson != null ? "replace(" + replacementJson + ")" : "publish()";
  }
}
