package dev.roomcast.spring.boot.autoconfigure.internal;

import dev.roomcast.spring.boot.autoconfigure.InvalidRoomcastPropertyException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Turns an {@link InvalidRoomcastPropertyException} at startup into Boot's short "APPLICATION
 * FAILED TO START" report (what is wrong, and what to do) instead of a bean-creation stack trace.
 */
public final class InvalidRoomcastPropertyFailureAnalyzer
    extends AbstractFailureAnalyzer<InvalidRoomcastPropertyException> {

  @Override
  protected FailureAnalysis analyze(Throwable rootFailure, InvalidRoomcastPropertyException cause) {
    return new FailureAnalysis(
        "Invalid roomcast configuration: " + cause.getMessage(),
        "Change "
            + cause.property()
            + " (docs/spring-boot.md lists every setting and its default).",
        cause);
  }
}
