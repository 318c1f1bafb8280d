package io.outrigger.controlplane.http;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.sun.net.httpserver.HttpExchange;
import io.outrigger.api.model.PartitionRule;
import io.outrigger.controlplane.ControlPlane;
import io.outrigger.controlplane.faults.FaultStatus;
import io.outrigger.controlplane.faults.LinkRule;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code /v1/faults}: {@code GET} the faults in force; {@code POST /v1/faults/partition}, {@code
 * /isolate} and {@code /link} change them; {@code DELETE /v1/faults} heals. Every answer is the
 * state after the request: {@code {"version", "links": [{from, to, action, delay?, fraction?}],
 * "nodes": {"n1": {"applied", "proxies"}}}}. Unknown nodes and bad JSON are refused with 400 and
 * change nothing.
 */
final class FaultsHandler {
  private static final String PREFIX = "/v1/faults";

  private final ControlPlane cp;

  FaultsHandler(ControlPlane cp) {
    this.cp = cp;
  }

  Reply handle(HttpExchange exchange) throws IOException {
    List<String> segments = Query.segments(exchange, PREFIX);
    String method = exchange.getRequestMethod();
    String action = segments.size() == 1 ? segments.get(0) : "";
    try {
      if (segments.isEmpty() && method.equals("GET")) {
        return Reply.json(200, json(cp.faultStatus()));
      }
      if (segments.isEmpty() && method.equals("DELETE")) {
        return Reply.json(200, json(cp.changeFaults((f, known) -> f.heal())));
      }
      if (method.equals("POST") && List.of("partition", "isolate", "link").contains(action)) {
        JsonObject body = object(ControlPlaneHttpServer.body(exchange));
        FaultStatus status =
            switch (action) {
              case "partition" -> {
                List<List<String>> groups = groups(body);
                yield cp.changeFaults((f, known) -> f.partition(groups, known));
              }
              case "isolate" -> {
                String node = string(body, "node", true);
                yield cp.changeFaults((f, known) -> f.isolate(node, known));
              }
              default -> {
                LinkRule link = link(body);
                boolean bothWays = bool(body, "both_ways");
                yield cp.changeFaults((f, known) -> f.link(link, bothWays, known));
              }
            };
        return Reply.json(200, json(status));
      }
    } catch (IllegalArgumentException e) {
      return Reply.error(400, e.getMessage());
    }
    return Reply.error(
        405,
        method
            + " "
            + exchange.getRequestURI().getPath()
            + " (expected: GET or DELETE /v1/faults, POST /v1/faults/partition|isolate|link)");
  }

  private static JsonObject object(String body) {
    try {
      JsonElement parsed = JsonParser.parseString(body);
      if (!parsed.isJsonObject()) {
        throw new IllegalArgumentException("expected a JSON object");
      }
      return parsed.getAsJsonObject();
    } catch (JsonParseException e) {
      throw new IllegalArgumentException("invalid JSON: " + e.getMessage());
    }
  }

  private static List<List<String>> groups(JsonObject body) {
    JsonElement groups = body.get("groups");
    String expected = "groups: expected a list of lists of node names, e.g. [[\"n1\"],[\"n2\"]]";
    if (groups == null || !groups.isJsonArray()) {
      throw new IllegalArgumentException(expected);
    }
    List<List<String>> out = new ArrayList<>();
    for (JsonElement g : groups.getAsJsonArray()) {
      if (!g.isJsonArray()) {
        throw new IllegalArgumentException(expected);
      }
      List<String> nodes = new ArrayList<>();
      for (JsonElement n : g.getAsJsonArray()) {
        if (!n.isJsonPrimitive() || !n.getAsJsonPrimitive().isString()) {
          throw new IllegalArgumentException(expected);
        }
        nodes.add(n.getAsString());
      }
      out.add(nodes);
    }
    return out;
  }

  private static LinkRule link(JsonObject body) {
    String from = string(body, "from", true);
    String to = string(body, "to", true);
    PartitionRule.Action action = PartitionRule.Action.parse(string(body, "action", true));
    String delayText = string(body, "delay", false);
    Duration delay = delayText.isEmpty() ? Duration.ZERO : PartitionRule.parseDelay(delayText);
    JsonElement f = body.get("fraction");
    double fraction = 1.0;
    if (f != null && !f.isJsonNull()) {
      if (!f.isJsonPrimitive() || !f.getAsJsonPrimitive().isNumber()) {
        throw new IllegalArgumentException("fraction: " + f + " (expected: a number in (0, 1])");
      }
      fraction = f.getAsDouble();
    }
    if (action == PartitionRule.Action.DELAY && delay.isZero() && delayText.isEmpty()) {
      throw new IllegalArgumentException("delay: required for action delay (e.g. \"200ms\")");
    }
    return new LinkRule(from, new PartitionRule(to, action, delay, fraction));
  }

  private static String string(JsonObject body, String field, boolean required) {
    JsonElement v = body.get(field);
    if (v == null || v.isJsonNull()) {
      if (required) {
        throw new IllegalArgumentException(field + ": required (expected: a string)");
      }
      return "";
    }
    if (!v.isJsonPrimitive() || !v.getAsJsonPrimitive().isString()) {
      throw new IllegalArgumentException(field + ": " + v + " (expected: a string)");
    }
    return v.getAsString();
  }

  private static boolean bool(JsonObject body, String field) {
    JsonElement v = body.get(field);
    if (v == null || v.isJsonNull()) {
      return false;
    }
    if (!v.isJsonPrimitive() || !v.getAsJsonPrimitive().isBoolean()) {
      throw new IllegalArgumentException(field + ": " + v + " (expected: true or false)");
    }
    return v.getAsBoolean();
  }

  static JsonObject json(FaultStatus status) {
    JsonObject out = new JsonObject();
    out.addProperty("version", status.state().version());
    JsonArray links = new JsonArray();
    for (LinkRule l : status.state().links()) {
      JsonObject link = new JsonObject();
      link.addProperty("from", l.from());
      link.addProperty("to", l.to());
      link.addProperty("action", l.rule().action().configName());
      if (l.rule().action() == PartitionRule.Action.DELAY) {
        link.addProperty("delay", PartitionRule.formatDelay(l.rule().delay()));
      }
      if (l.rule().action() == PartitionRule.Action.LOSE) {
        link.addProperty("fraction", l.rule().fraction());
      }
      links.add(link);
    }
    out.add("links", links);
    JsonObject nodes = new JsonObject();
    status.nodes().entrySet().stream()
        .sorted(java.util.Map.Entry.comparingByKey())
        .forEach(
            e -> {
              JsonObject node = new JsonObject();
              node.addProperty("applied", e.getValue().applied());
              node.addProperty("proxies", e.getValue().proxies());
              nodes.add(e.getKey(), node);
            });
    out.add("nodes", nodes);
    return out;
  }
}
