package io.outrigger.controlplane.http;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.outrigger.api.validation.ConfigException;

/** An HTTP answer: status, content type and body. */
record Reply(int status, String contentType, String body) {
  static final String JSON = "application/json; charset=utf-8";

  static Reply json(int status, JsonElement body) {
    return new Reply(status, JSON, ControlPlaneHttpServer.GSON.toJson(body) + "\n");
  }

  static Reply text(String body) {
    return new Reply(200, "text/plain; version=0.0.4; charset=utf-8", body);
  }

  /** {@code {"error": {"message": ...}}}. */
  static Reply error(int status, String message) {
    JsonObject body = new JsonObject();
    body.add("error", ControlPlaneHttpServer.message(message));
    return json(status, body);
  }

  /** {@code {"error": {"message", "file", "line", "field", "reason"}}}. */
  static Reply error(int status, ConfigException e) {
    JsonObject body = new JsonObject();
    body.add("error", StatusJson.error(e));
    return json(status, body);
  }

  /** Thrown by a handler to answer with {@link #reply()} at once. */
  static final class Refusal extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient Reply reply;

    Refusal(Reply reply) {
      super(reply.body(), null, false, false);
      this.reply = reply;
    }

    Reply reply() {
      return reply;
    }
  }
}
