package dev.roomcast.jakarta;

import jakarta.websocket.HandshakeResponse;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.util.List;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Refuses a WebSocket handshake with an HTTP status from inside {@code
 * ServerEndpointConfig.Configurator#modifyHandshake}, where the container allows it.
 *
 * <p>The Jakarta WebSocket API has no way to do this: {@code HandshakeResponse} only exposes
 * headers, and only {@code checkOrigin} returning {@code false} refuses (403, in every container).
 * What works per container:
 *
 * <ul>
 *   <li><b>Tyrus</b> (standalone, GlassFish): its engine catches {@code
 *       org.glassfish.tyrus.core.HandshakeException} around the handshake, {@code modifyHandshake}
 *       included, and answers with the exception's status and no upgrade. Setting a status on the
 *       response instead is not enough: Tyrus still upgrades a 401 or 503 response. So for Tyrus
 *       this class clears the upgrade headers, sets the reason phrase and throws that exception
 *       (looked up reflectively: this module must not depend on Tyrus).
 *   <li><b>Other containers</b> (Tomcat, Jetty, Undertow): nothing portable; {@link #refuse}
 *       returns {@code false} and the endpoint closes the session right after it opens, with the
 *       refusal's close code (1008) and reason.
 * </ul>
 *
 * Thread-safe; the reflective lookup is done once per response class.
 */
final class HandshakeRefusals {
  private static final Logger LOG = Logger.getLogger(HandshakeRefusals.class.getName());
  private static final String TYRUS_EXCEPTION = "org.glassfish.tyrus.core.HandshakeException";

  private static final ClassValue<Optional<Tyrus>> TYRUS =
      new ClassValue<>() {
        @Override
        protected Optional<Tyrus> computeValue(Class<?> responseClass) {
          return Tyrus.find(responseClass);
        }
      };

  private HandshakeRefusals() {}

  /**
   * Makes the container answer the handshake with {@code status} instead of upgrading, if it can.
   * Does not return when it can: it throws the container's own exception, which the container
   * catches.
   *
   * @return {@code false} when this container cannot be made to refuse (the caller then closes the
   *     session right after it opens)
   */
  static boolean refuse(HandshakeResponse response, int status) {
    Optional<Tyrus> tyrus = response == null ? Optional.empty() : TYRUS.get(response.getClass());
    if (tyrus.isEmpty()) {
      return false;
    }
    Throwable refusal = tyrus.get().refusal(response, status);
    if (refusal == null) {
      return false;
    }
    throw HandshakeRefusals.<RuntimeException>sneaky(refusal);
  }

  /** The standard reason phrase of the statuses roomcast refuses with. */
  static String reasonPhrase(int status) {
    switch (status) {
      case 400:
        return "Bad Request";
      case 401:
        return "Unauthorized";
      case 403:
        return "Forbidden";
      case 404:
        return "Not Found";
      case 503:
        return "Service Unavailable";
      default:
        return "Refused";
    }
  }

  /** Tyrus' handshake exception and response setters, found by reflection. */
  private record Tyrus(Constructor<?> exception, Method setReasonPhrase) {
    static Optional<Tyrus> find(Class<?> responseClass) {
      try {
        ClassLoader loader = responseClass.getClassLoader();
        Class<?> exceptionClass = Class.forName(TYRUS_EXCEPTION, false, loader);
        Constructor<?> c = exceptionClass.getConstructor(int.class, String.class);
        Method reason = responseClass.getMethod("setReasonPhrase", String.class);
        return Optional.of(new Tyrus(c, reason));
      } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
        return Optional.empty();
      }
    }

    /** The exception to throw, with the response cleaned up; {@code null} if that failed. */
    Throwable refusal(HandshakeResponse response, int status) {
      try {
        // Tyrus filled in the 101 headers before calling modifyHandshake; a refusal must not
        // carry Upgrade / Sec-WebSocket-Accept.
        response.getHeaders().clear();
        // Tyrus writes the refusal without a body length and keeps the connection open, so a
        // client that reads the response body (the JDK's WebSocket does, before it reports the
        // refusal) waits for a close that never comes: say the body is empty and the connection
        // ends.
        response.getHeaders().put("Content-Length", List.of("0"));
        response.getHeaders().put("Connection", List.of("close"));
        setReasonPhrase.invoke(response, reasonPhrase(status));
        return (Throwable) exception.newInstance(status, reasonPhrase(status));
      } catch (ReflectiveOperationException | RuntimeException e) {
        LOG.log(Level.FINE, "cannot refuse the handshake through Tyrus", e);
        return null;
      }
    }
  }

  /**
   * Lets a checked exception through a method that does not declare it ({@code modifyHandshake}
   * declares nothing); the container's own handshake code catches it.
   */
  @SuppressWarnings("unchecked")
  private static <T extends Throwable> RuntimeException sneaky(Throwable t) throws T {
    throw (T) t;
  }
}
