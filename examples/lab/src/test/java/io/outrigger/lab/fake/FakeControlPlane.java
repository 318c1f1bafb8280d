package io.outrigger.lab.fake;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongSupplier;

/**
 * The control plane's fault API of the contract on 127.0.0.1:0, driving a {@link FakeCluster}. Like
 * the real one, a change is not ACKed at once: the first {@code GET /v1/faults} after a change
 * still shows {@code applied: false}, so the nemesis has to poll. Every request is logged.
 */
public final class FakeControlPlane implements AutoCloseable {
  /** One request as received. */
  public record Request(String method, String path, JsonObject body, long nanos) {}

  private final FakeCluster cluster;
  private final HttpServer server;
  private final LongSupplier nanoClock;
  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private final List<JsonObject> links = new ArrayList<>();
  private long version;
  private boolean acked = true;

  public FakeControlPlane(FakeCluster cluster, LongSupplier nanoClock) throws IOException {
    this.cluster = cluster;
    this.nanoClock = nanoClock;
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/v1/faults", this::handle);
    server.start();
  }

  public URI url() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /** Every request so far, GETs included. */
  public List<Request> requests() {
    return List.copyOf(requests);
  }

  /** The requests that changed the fault state. */
  public List<Request> changes() {
    return requests.stream().filter(r -> !r.method().equals("GET")).toList();
  }

  private synchronized void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String text = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      JsonObject body = text.isBlank() ? null : JsonParser.parseString(text).getAsJsonObject();
      String method = exchange.getRequestMethod();
      String path = exchange.getRequestURI().getPath();
      requests.add(new Request(method, path, body, nanoClock.getAsLong()));
      String unknown = unknownNode(body);
      if (unknown != null) {
        send(exchange, 400, "{\"error\":\"unknown node: " + unknown + "\"}");
        return;
      }
      switch (method + " " + path) {
        case "GET /v1/faults" -> {
          send(exchange, 200, state().toString());
          acked = true;
          return;
        }
        case "DELETE /v1/faults" -> {
          links.clear();
          cluster.heal(true);
        }
        case "POST /v1/faults/isolate" -> {
          links.clear();
          cluster.isolate(body.get("node").getAsString());
        }
        case "POST /v1/faults/partition" -> {
          links.clear();
          List<List<String>> groups = new ArrayList<>();
          body.getAsJsonArray("groups")
              .forEach(
                  g -> {
                    List<String> group = new ArrayList<>();
                    g.getAsJsonArray().forEach(n -> group.add(n.getAsString()));
                    groups.add(group);
                  });
          cluster.partition(groups);
        }
        case "POST /v1/faults/link" -> {
          links.add(body);
          if (body.get("action").getAsString().equals("drop")) {
            String from = body.get("from").getAsString();
            String to = body.get("to").getAsString();
            cluster.cut(from, to);
            if (body.has("both_ways") && body.get("both_ways").getAsBoolean()) {
              cluster.cut(to, from);
            }
          }
        }
        default -> {
          send(exchange, 404, "{\"error\":\"no such path\"}");
          return;
        }
      }
      version++;
      acked = false;
      send(exchange, 200, state().toString());
    }
  }

  private String unknownNode(JsonObject body) {
    if (body == null) {
      return null;
    }
    List<String> named = new ArrayList<>();
    for (String field : List.of("node", "from", "to")) {
      if (body.has(field)) {
        named.add(body.get(field).getAsString());
      }
    }
    if (body.has("groups")) {
      body.getAsJsonArray("groups")
          .forEach(g -> g.getAsJsonArray().forEach(n -> named.add(n.getAsString())));
    }
    return named.stream().filter(n -> !cluster.nodes().contains(n)).findFirst().orElse(null);
  }

  private JsonObject state() {
    JsonObject o = new JsonObject();
    o.addProperty("version", version);
    JsonArray l = new JsonArray();
    links.forEach(l::add);
    o.add("links", l);
    JsonObject nodes = new JsonObject();
    for (String n : cluster.nodes()) {
      JsonObject a = new JsonObject();
      a.addProperty("applied", acked);
      nodes.add(n, a);
    }
    o.add("nodes", nodes);
    return o;
  }

  private static void send(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
