package dev.roomcast.spring.boot.autoconfigure;

/**
 * A {@code roomcast.*} property (or the {@code spring.data.redis.*} settings the Redis backplane is
 * built from) has a value roomcast cannot use. The message names the property, the value and what
 * is expected; it never contains a password. Spring Boot reports it at startup as the reason the
 * application failed to start.
 */
public class InvalidRoomcastPropertyException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final String property;

  /**
   * @param property the property's name, e.g. {@code roomcast.limits.max-message-bytes}
   * @param problem what is wrong with its value
   */
  public InvalidRoomcastPropertyException(String property, String problem) {
    this(property, problem, null);
  }

  /**
   * @param property the property's name
   * @param problem what is wrong with its value
   * @param cause the library's own refusal, if any
   */
  public InvalidRoomcastPropertyException(String property, String problem, Throwable cause) {
    super(property + ": " + problem, cause);
    this.property = property;
  }

  /** The offending property's name. */
  public String property() {
    return property;
  }
}
