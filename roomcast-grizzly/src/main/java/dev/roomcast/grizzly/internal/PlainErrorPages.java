package dev.roomcast.grizzly.internal;

import org.glassfish.grizzly.http.server.ErrorPageGenerator;
import org.glassfish.grizzly.http.server.Request;

/**
 * The body of the error responses Grizzly writes itself (a request it could not parse, an error
 * escaping a handler): the status and its reason, nothing else. Grizzly's default page prints the
 * exception's stack trace, which tells a stranger what runs inside. Stateless and thread-safe.
 */
public final class PlainErrorPages implements ErrorPageGenerator {
  @Override
  public String generate(
      Request request, int status, String reasonPhrase, String description, Throwable exception) {
    return status + " " + (reasonPhrase == null ? "" : reasonPhrase) + "\n";
  }
}
