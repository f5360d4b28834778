package dev.roomcast.cdi;

/**
 * A {@code roomcast.*} configuration property has a value roomcast cannot run with. The message
 * names the property, says what it must be and what it was (never a password). Thrown while the
 * application starts, so the deployment fails instead of running half-configured.
 */
public final class RoomcastConfigurationException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final String property;

  /**
   * @param property the property's name, e.g. {@code roomcast.limits.max-connections}
   * @param problem what is wrong, phrased to follow the name: {@code "must be ..., was '...'"}
   */
  public RoomcastConfigurationException(String property, String problem) {
    super(property + " " + problem);
    this.property = property;
  }

  /** The property at fault. */
  public String property() {
    return property;
  }
}
