package io.outrigger.lab.fake;

import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;

/**
 * One HTTP server per node on 127.0.0.1:0 speaking the store API of the contract ({@code PUT/GET
 * /kv/{key}}, {@code ?local=true}, the JSON bodies and the {@code X-Outrigger-*} headers), backed
 * by a {@link FakeCluster}.
 */
public final class FakeStore implements AutoCloseable {
  private final FakeCluster cluster;
  private final Map<String, HttpServer> servers = new TreeMap<>();

  public FakeStore(FakeCluster cluster) throws IOException {
    this.cluster = cluster;
    for (String node : cluster.nodes()) {
      HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      server.createContext("/kv/", exchange -> handle(node, exchange));
      server.setExecutor(Executors.newCachedThreadPool());
      server.start();
      servers.put(node, server);
    }
  }

  /** Node name to its URL. */
  public Map<String, URI> urls() {
    Map<String, URI> out = new TreeMap<>();
    servers.forEach(
        (n, s) -> out.put(n, URI.create("http://127.0.0.1:" + s.getAddress().getPort())));
    return out;
  }

  private void handle(String node, HttpExchange exchange) throws IOException {
    try (exchange) {
      String key =
          URLDecoder.decode(
              exchange.getRequestURI().getRawPath().substring("/kv/".length()),
              StandardCharsets.UTF_8);
      boolean local = "local=true".equals(exchange.getRequestURI().getRawQuery());
      FakeCluster.Reply reply;
      switch (exchange.getRequestMethod()) {
        case "GET" -> reply = cluster.read(node, key, local);
        case "PUT" -> {
          String value =
              new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
          reply = cluster.write(node, key, value);
        }
        default -> {
          send(exchange, 405, error("method not allowed", node, null));
          return;
        }
      }
      if (reply.status() == 503) {
        exchange.getResponseHeaders().add("X-Outrigger-Outcome", reply.outcome());
        send(exchange, 503, error("no quorum", node, reply.outcome()));
        return;
      }
      JsonObject body = new JsonObject();
      body.addProperty("key", key);
      FakeCluster.Stored s = reply.stored();
      body.addProperty("value", s == null ? null : s.value());
      if (s == null) {
        body.add("version", JsonNull.INSTANCE);
      } else {
        JsonObject v = new JsonObject();
        v.addProperty("time", s.time());
        v.addProperty("replica", s.replica());
        body.add("version", v);
        exchange.getResponseHeaders().add("X-Outrigger-Version", s.version());
      }
      body.addProperty("replica", node);
      exchange.getResponseHeaders().add("X-Outrigger-Replica", node);
      send(exchange, reply.status(), body);
    }
  }

  private static JsonObject error(String message, String node, String outcome) {
    JsonObject o = new JsonObject();
    o.addProperty("error", message);
    o.addProperty("replica", node);
    if (outcome != null) {
      o.addProperty("outcome", outcome);
    }
    return o;
  }

  private static void send(HttpExchange exchange, int status, JsonObject body) throws IOException {
    byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
  }

  @Override
  public void close() {
    servers.values().forEach(s -> s.stop(0));
  }
}
