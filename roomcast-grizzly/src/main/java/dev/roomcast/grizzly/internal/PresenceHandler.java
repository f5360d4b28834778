package dev.roomcast.grizzly.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.roomcast.Hub;
import dev.roomcast.Identity;
import dev.roomcast.JoinRejectedException;
import dev.roomcast.Presence;
import dev.roomcast.PresenceMember;
import dev.roomcast.RoomAuthorizer;
import dev.roomcast.jakarta.sse.SseEvents;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.glassfish.grizzly.http.server.Request;
import org.glassfish.grizzly.http.server.Response;

/**
 * {@code GET /rooms/{room}/presence}: who is in the room across every instance, as {@code {"room":
 * "lobby","count":3,"members":[{"client_id":..,"user":..,"name":..,"joined_at":ISO},..]}} ({@code
 * user}/{@code name} absent for anonymous members). {@code ?members=false} answers the count only.
 * Behind the same authentication as joining, and the room authorizer's {@code JOIN}: 401/403; 400
 * for a bad room name; 503 when the backplane does not answer within 2 s.
 *
 * <p>Thread-safe; runs on a Grizzly worker and waits at most 2 s for the backplane.
 */
public final class PresenceHandler {
  private static final Logger LOG = Logger.getLogger(PresenceHandler.class.getName());
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Hub hub;

  public PresenceHandler(Hub hub) {
    this.hub = hub;
  }

  public void handle(Request request, Response response, Map<String, String> params)
      throws IOException {
    String room = params.get("room");
    Identity who;
    try {
      who = hub.authenticate(HttpRequests.handshake(room, request));
    } catch (JoinRejectedException e) {
      error(response, e.httpStatus(), e.getMessage());
      return;
    } catch (IllegalArgumentException e) {
      error(response, 400, e.getMessage());
      return;
    }
    String members = request.getParameter("members");
    if (members != null && !members.equals("true") && !members.equals("false")) {
      error(response, 400, "invalid 'members': true or false");
      return;
    }
    Presence p;
    try {
      if (!hub.allows(who, room, RoomAuthorizer.Action.JOIN)) {
        error(response, 403, "not allowed in this room");
        return;
      }
      p =
          (("false".equals(members)) ? hub.presenceCount(room) : hub.presence(room))
              .toCompletableFuture()
              .get(2, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof IllegalArgumentException) {
        error(response, 400, e.getCause().getMessage());
      } else {
        LOG.log(Level.WARNING, "presence of " + room + " failed", e.getCause());
        error(response, 503, "presence unavailable");
      }
      return;
    } catch (TimeoutException e) {
      error(response, 503, "presence unavailable: the backplane did not answer");
      return;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      error(response, 503, "presence unavailable");
      return;
    }
    ObjectNode body = JSON.createObjectNode().put("room", p.room()).put("count", p.count());
    if (!"false".equals(members)) {
      ArrayNode list = body.putArray("members");
      for (PresenceMember m : p.members()) {
        ObjectNode o = list.addObject().put("client_id", m.clientId());
        if (m.user() != null) {
          o.put("user", m.user());
        }
        if (m.name() != null) {
          o.put("name", m.name());
        }
        o.put("joined_at", m.joinedAt().toString());
      }
    }
    Responses.json(response, 200, body.toString());
  }

  private static void error(Response response, int status, String message) throws IOException {
    Responses.json(response, status, SseEvents.errorJson(message));
  }
}
