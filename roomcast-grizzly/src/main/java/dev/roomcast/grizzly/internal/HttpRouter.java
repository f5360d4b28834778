package dev.roomcast.grizzly.internal;

import dev.roomcast.grizzly.RouteHandler;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.glassfish.grizzly.http.server.HttpHandler;
import org.glassfish.grizzly.http.server.Request;
import org.glassfish.grizzly.http.server.Response;

/**
 * The plain-HTTP side of the port: a small method + path-template router on one Grizzly {@link
 * HttpHandler}. WebSocket upgrades never get here (Tyrus' filter takes them first).
 *
 * <p>Templates are {@code /}-separated segments, each a literal or a {@code {name}} that matches
 * one non-empty segment, URL-decoded: {@code /events/{room}}, {@code /rooms/{room}/messages}. The
 * first route added that matches wins; a path that matches only with another method is answered 405
 * with {@code Allow}, anything else 404. {@code GET} routes answer {@code HEAD} as well.
 */
public final class HttpRouter extends HttpHandler {
  private static final Logger LOG = Logger.getLogger(HttpRouter.class.getName());

  private record Route(String method, String[] segments, RouteHandler handler) {
    Map<String, String> match(String[] path) {
      if (path.length != segments.length) {
        return null;
      }
      Map<String, String> params = null;
      for (int i = 0; i < segments.length; i++) {
        String s = segments[i];
        if (s.startsWith("{") && s.endsWith("}")) {
          if (path[i].isEmpty()) {
            return null;
          }
          if (params == null) {
            params = new LinkedHashMap<>();
          }
          String value = decode(path[i]);
          if (value == null) {
            return null; // not a segment that decodes: no route matches it
          }
          params.put(s.substring(1, s.length() - 1), value);
        } else if (!s.equals(path[i])) {
          return null;
        }
      }
      return params == null ? Map.of() : params;
    }
  }

  private final List<Route> routes = new ArrayList<>();

  /** Adds a route. Not thread-safe: add every route before the server starts. */
  public HttpRouter route(String method, String template, RouteHandler handler) {
    if (!template.startsWith("/")) {
      throw new IllegalArgumentException("template must start with '/': " + template);
    }
    routes.add(new Route(method.toUpperCase(Locale.ROOT), split(template), handler));
    return this;
  }

  public HttpRouter get(String template, RouteHandler handler) {
    return route("GET", template, handler);
  }

  public HttpRouter post(String template, RouteHandler handler) {
    return route("POST", template, handler);
  }

  @Override
  public void service(Request request, Response response) throws Exception {
    String method = request.getMethod().getMethodString();
    String[] path = split(request.getRequestURI());
    Set<String> allowed = new LinkedHashSet<>();
    for (Route r : routes) {
      Map<String, String> params = r.match(path);
      if (params == null) {
        continue;
      }
      if (r.method.equals(method) || (method.equals("HEAD") && r.method.equals("GET"))) {
        try {
          r.handler.handle(request, response, params);
        } catch (IllegalArgumentException e) {
          Responses.text(response, 400, e.getMessage());
        } catch (Exception e) {
          LOG.log(Level.WARNING, method + " " + request.getRequestURI() + " failed", e);
          if (!response.isCommitted()) {
            Responses.text(response, 500, "server error");
          }
        }
        return;
      }
      allowed.add(r.method);
      if (r.method.equals("GET")) {
        allowed.add("HEAD");
      }
    }
    if (!allowed.isEmpty()) {
      response.setHeader("Allow", String.join(", ", allowed));
      Responses.text(response, 405, "method not allowed");
      return;
    }
    Responses.text(response, 404, "not found");
  }

  private static String[] split(String path) {
    if (path == null || path.isEmpty() || path.equals("/")) {
      return new String[] {""};
    }
    String p = path.startsWith("/") ? path.substring(1) : path;
    String[] parts = p.split("/", -1);
    return Arrays.copyOf(parts, parts.length);
  }

  /** The URL-decoded segment, or {@code null} for a malformed escape such as {@code %ZZ}. */
  private static String decode(String segment) {
    try {
      return URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
