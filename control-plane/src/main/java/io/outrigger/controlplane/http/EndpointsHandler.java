package io.outrigger.controlplane.http;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.protobuf.util.Durations;
import com.sun.net.httpserver.HttpExchange;
import io.outrigger.controlplane.ControlPlane;
import io.outrigger.controlplane.registry.EndpointRegistry;
import io.outrigger.controlplane.registry.Registration;
import java.io.IOException;
import java.text.ParseException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code /v1/endpoints}: {@code POST} registers a service instance (or renews it: a heartbeat),
 * {@code DELETE /v1/endpoints/{cluster}/{address}/{port}} deregisters it, {@code GET} lists them.
 */
final class EndpointsHandler {
  private static final String PREFIX = "/v1/endpoints";

  private final ControlPlane cp;

  EndpointsHandler(ControlPlane cp) {
    this.cp = cp;
  }

  Reply handle(HttpExchange exchange) throws IOException {
    List<String> segments = Query.segments(exchange, PREFIX);
    String method = exchange.getRequestMethod();
    if (segments.isEmpty() && method.equals("GET")) {
      JsonArray out = new JsonArray();
      cp.registry().all().forEach(r -> out.add(json(r)));
      return Reply.json(200, out);
    }
    if (segments.isEmpty() && method.equals("POST")) {
      return register(ControlPlaneHttpServer.body(exchange));
    }
    if (segments.size() == 3 && method.equals("DELETE")) {
      return deregister(segments);
    }
    return Reply.error(
        405,
        method
            + " "
            + exchange.getRequestURI().getPath()
            + " (expected: GET or POST /v1/endpoints, DELETE"
            + " /v1/endpoints/{cluster}/{address}/{port})");
  }

  private Reply register(String body) {
    JsonObject request;
    try {
      JsonElement parsed = JsonParser.parseString(body);
      if (!parsed.isJsonObject()) {
        return Reply.error(400, "expected a JSON object {cluster, address, port, metadata, ttl}");
      }
      request = parsed.getAsJsonObject();
    } catch (JsonParseException e) {
      return Reply.error(400, "invalid JSON: " + e.getMessage());
    }
    try {
      EndpointRegistry.Result result =
          cp.registry()
              .register(
                  string(request, "cluster"),
                  string(request, "address"),
                  port(request),
                  metadata(request),
                  ttl(request));
      cp.registrationsChanged();
      return Reply.json(result.created() ? 201 : 200, json(result.registration()));
    } catch (IllegalArgumentException e) {
      return Reply.error(400, e.getMessage());
    }
  }

  private Reply deregister(List<String> segments) {
    int port;
    try {
      port = Integer.parseInt(segments.get(2));
    } catch (NumberFormatException e) {
      return Reply.error(400, "port: \"" + segments.get(2) + "\" (expected: 1..65535)");
    }
    Registration.Key key = new Registration.Key(segments.get(0), segments.get(1), port);
    if (!cp.registry().deregister(key)) {
      return Reply.error(404, "no registration " + key);
    }
    cp.registrationsChanged();
    return new Reply(204, Reply.JSON, "");
  }

  private static String string(JsonObject request, String field) {
    JsonElement value = request.get(field);
    if (value == null || !value.isJsonPrimitive() || !value.getAsJsonPrimitive().isString()) {
      throw new IllegalArgumentException(field + ": required (expected: a string)");
    }
    return value.getAsString();
  }

  private static int port(JsonObject request) {
    JsonElement value = request.get("port");
    if (value == null || !value.isJsonPrimitive() || !value.getAsJsonPrimitive().isNumber()) {
      throw new IllegalArgumentException("port: required (expected: a number 1..65535)");
    }
    double port = value.getAsDouble();
    if (port != Math.rint(port)) {
      throw new IllegalArgumentException("port: " + value + " (expected: 1..65535)");
    }
    return (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, port));
  }

  private static Map<String, String> metadata(JsonObject request) {
    Map<String, String> out = new TreeMap<>();
    JsonElement value = request.get("metadata");
    if (value == null || value.isJsonNull()) {
      return out;
    }
    if (!value.isJsonObject()) {
      throw new IllegalArgumentException("metadata: expected an object of strings");
    }
    for (Map.Entry<String, JsonElement> e : value.getAsJsonObject().entrySet()) {
      if (!e.getValue().isJsonPrimitive()) {
        throw new IllegalArgumentException(
            "metadata." + e.getKey() + ": expected a string, number or boolean");
      }
      out.put(e.getKey(), e.getValue().getAsString());
    }
    return out;
  }

  private static Duration ttl(JsonObject request) {
    JsonElement value = request.get("ttl");
    if (value == null || value.isJsonNull()) {
      return EndpointRegistry.DEFAULT_TTL;
    }
    try {
      return Duration.ofNanos(Durations.toNanos(Durations.parse(value.getAsString())));
    } catch (ParseException | UnsupportedOperationException | IllegalStateException e) {
      throw new IllegalArgumentException(
          "ttl: " + value + " (expected: a duration such as \"30s\")");
    }
  }

  static JsonObject json(Registration r) {
    JsonObject out = new JsonObject();
    out.addProperty("cluster", r.cluster());
    out.addProperty("address", r.address());
    out.addProperty("port", r.port());
    JsonObject metadata = new JsonObject();
    r.metadata().forEach(metadata::addProperty);
    out.add("metadata", metadata);
    out.addProperty("ttl", Durations.toString(Durations.fromNanos(r.ttl().toNanos())));
    out.addProperty("registered_at", r.registeredAt().toString());
    out.addProperty("expires_at", r.expiresAt().toString());
    return out;
  }
}
