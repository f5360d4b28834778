package dev.roomcast.example;

/** A configuration variable has a value the server cannot run with. The message names it. */
public final class ConfigException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final String variable;

  public ConfigException(String variable, String problem) {
    super(variable + " " + problem);
    this.variable = variable;
  }

  /** The environment variable at fault. */
  public String variable() {
    return variable;
  }
}
