package dev.roomcast.sample.jakartaee;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.roomcast.BackplaneUnavailableException;
import dev.roomcast.Hub;
import dev.roomcast.Identity;
import dev.roomcast.JoinRejectedException;
import dev.roomcast.Published;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import java.security.Principal;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * {@code POST /api/rooms/{room}/messages} with {@code {"content": <any JSON>}}: publishes into the
 * room as the caller (anonymous, or the signed-in user), so every member on every instance receives
 * it, WebSocket and SSE alike. Answers {@code 200 {"room","offset","epoch"}} once the backplane
 * stored it; {@code 400} for a bad room or body, {@code 403} when the room's authorizer refuses,
 * {@code 503} while the backplane is unreachable. The answer waits for the backplane without
 * holding a request thread (JAX-RS completes the returned stage).
 */
@Path("rooms/{room}/messages")
@RequestScoped
public class RoomMessages {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Inject Hub hub;

  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  @Produces(MediaType.APPLICATION_JSON)
  public CompletionStage<Response> publish(
      @PathParam("room") String room, String body, @Context SecurityContext security) {
    String content;
    try {
      JsonNode root = JSON.readTree(body);
      if (root == null || !root.isObject()) {
        return done(error(400, "the body must be a JSON object like {\"content\": ...}"));
      }
      content =
          JSON.writeValueAsString(root.path("content").isMissingNode() ? "" : root.get("content"));
    } catch (JsonProcessingException e) {
      return done(error(400, "Invalid JSON format"));
    }
    Principal p = security.getUserPrincipal();
    Identity who = p == null ? Identity.anonymous() : new Identity(p.getName(), Map.of());
    CompletionStage<Published> published;
    try {
      published = hub.publishAs(who, room, content, "server");
    } catch (RuntimeException e) { // a bad room name or content, refused before publishing
      return done(failure(e));
    }
    return published.handle((ok, e) -> e == null ? answer(ok) : failure(e));
  }

  private static Response answer(Published p) {
    ObjectNode body =
        JSON.createObjectNode()
            .put("room", p.room())
            .put("offset", p.offset())
            .put("epoch", p.epoch());
    return Response.ok(body.toString(), MediaType.APPLICATION_JSON).build();
  }

  private static Response failure(Throwable t) {
    Throwable e = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
    if (e instanceof JoinRejectedException j) {
      return error(j.httpStatus(), j.getMessage());
    }
    if (e instanceof BackplaneUnavailableException) {
      return error(503, "message not delivered: " + e.getMessage());
    }
    if (e instanceof IllegalArgumentException) {
      return error(400, e.getMessage());
    }
    return error(500, "message not delivered: server error");
  }

  private static Response error(int status, String message) {
    String body = JSON.createObjectNode().put("error", message).toString();
    return Response.status(status).type(MediaType.APPLICATION_JSON).entity(body).build();
  }

  private static CompletionStage<Response> done(Response r) {
    return CompletableFuture.completedFuture(r);
  }
}
