package io.outrigger.controlplane.http;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.outrigger.controlplane.ControlPlane;
import io.outrigger.controlplane.auth.AuthRefusals;
import io.outrigger.controlplane.auth.Scope;
import io.outrigger.controlplane.auth.Tokens;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The control plane's HTTP API on the JDK's {@code com.sun.net.httpserver}: a handful of small JSON
 * requests from operators and scripts, served by two threads that may block on the folder lock and
 * file writes (so not on an event loop), with no dependency added.
 *
 * <p>Routes: {@code GET /v1/status}; {@code GET|PUT /v1/resources}; {@code DELETE
 * /v1/resources/{type}/{name}}; {@code GET|POST /v1/endpoints}; {@code DELETE
 * /v1/endpoints/{cluster}/{address}/{port}}; {@code GET|DELETE /v1/faults}; {@code POST
 * /v1/faults/partition|isolate|link}; {@code GET /metrics}. Every route wants a bearer token of the
 * right scope when the control plane has a token file ({@link ApiAuth}).
 */
public final class ControlPlaneHttpServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ControlPlaneHttpServer.class);
  static final Gson GSON = new GsonBuilder().setPrettyPrinting().serializeNulls().create();

  /** Request bodies larger than this are refused (413). */
  static final int MAX_BODY_BYTES = 4 * 1024 * 1024;

  private final HttpServer server;
  private final ExecutorService executor;

  private ControlPlaneHttpServer(HttpServer server, ExecutorService executor) {
    this.server = server;
    this.executor = executor;
  }

  /**
   * Binds {@code address} (port 0 picks a free one) and serves {@code cp}.
   *
   * @param tokens the API tokens; empty admits everyone
   */
  public static ControlPlaneHttpServer start(
      InetSocketAddress address, ControlPlane cp, Optional<Tokens> tokens, AuthRefusals refusals)
      throws IOException {
    ApiAuth auth = new ApiAuth(tokens, refusals);
    HttpServer server = HttpServer.create(address, 64);
    ExecutorService executor =
        Executors.newFixedThreadPool(
            2,
            r -> {
              Thread t = new Thread(r, "outrigger-cp-http");
              t.setDaemon(true);
              return t;
            });
    server.setExecutor(executor);
    ResourcesHandler resources = new ResourcesHandler(cp);
    EndpointsHandler endpoints = new EndpointsHandler(cp);
    server.createContext(
        "/v1/status",
        exchange -> handle(exchange, auth, Scope.STATUS, "GET", e -> ok(StatusJson.of(cp))));
    server.createContext(
        "/v1/resources",
        exchange -> handle(exchange, auth, Scope.RESOURCES, null, resources::handle));
    server.createContext(
        "/v1/endpoints",
        exchange -> handle(exchange, auth, Scope.RESOURCES, null, endpoints::handle));
    FaultsHandler faults = new FaultsHandler(cp);
    server.createContext(
        "/v1/faults", exchange -> handle(exchange, auth, Scope.FAULTS, null, faults::handle));
    server.createContext(
        "/metrics",
        exchange ->
            handle(exchange, auth, Scope.STATUS, "GET", e -> Reply.text(cp.meters().scrape())));
    server.start();
    return new ControlPlaneHttpServer(server, executor);
  }

  public InetSocketAddress address() {
    return server.getAddress();
  }

  private interface Route {
    Reply handle(HttpExchange exchange) throws IOException;
  }

  private static Reply ok(JsonElement body) {
    return Reply.json(200, body);
  }

  private static void handle(
      HttpExchange exchange, ApiAuth auth, Scope writeScope, String onlyMethod, Route route) {
    try (exchange) {
      Reply reply;
      try {
        Optional<Reply> refused = auth.check(exchange, writeScope);
        reply =
            refused.isPresent()
                ? refused.get()
                : onlyMethod != null && !onlyMethod.equals(exchange.getRequestMethod())
                    ? Reply.error(
                        405,
                        "method "
                            + exchange.getRequestMethod()
                            + " not allowed (expected: "
                            + onlyMethod
                            + ")")
                    : route.handle(exchange);
      } catch (Reply.Refusal refusal) {
        reply = refusal.reply();
      } catch (RuntimeException e) {
        log.error("{} {} failed", exchange.getRequestMethod(), exchange.getRequestURI(), e);
        reply = Reply.error(500, "internal error: " + e);
      }
      byte[] body = reply.body().getBytes(UTF_8);
      exchange.getResponseHeaders().set("Content-Type", reply.contentType());
      exchange.sendResponseHeaders(reply.status(), body.length == 0 ? -1 : body.length);
      if (body.length > 0) {
        exchange.getResponseBody().write(body);
      }
    } catch (IOException e) {
      log.debug("answering {} failed: {}", exchange.getRequestURI(), e.toString());
    }
  }

  /** The request body as UTF-8 text, refused past {@link #MAX_BODY_BYTES}. */
  static String body(HttpExchange exchange) throws IOException {
    try (InputStream in = exchange.getRequestBody()) {
      byte[] bytes = in.readNBytes(MAX_BODY_BYTES + 1);
      if (bytes.length > MAX_BODY_BYTES) {
        throw new Reply.Refusal(Reply.error(413, "body larger than " + MAX_BODY_BYTES + " bytes"));
      }
      return new String(bytes, UTF_8);
    }
  }

  static JsonObject message(String text) {
    JsonObject json = new JsonObject();
    json.addProperty("message", text);
    return json;
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
