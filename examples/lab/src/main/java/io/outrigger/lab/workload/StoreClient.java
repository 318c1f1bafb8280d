package io.outrigger.lab.workload;

import static java.util.Objects.requireNonNull;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import io.outrigger.lab.history.Version;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Speaks the store's HTTP API ({@code PUT/GET /kv/{key}}) over HTTP/1.1 with a per-request timeout.
 * Thread-safe: the JDK client pools keep-alive connections and is shared by all workers. Calls
 * block the calling worker thread, never longer than the operation timeout (plus the connect).
 */
public final class StoreClient {
  private final HttpClient http;
  private final Duration opTimeout;

  /** A client whose requests give up after {@code opTimeout}. */
  public StoreClient(HttpClient http, Duration opTimeout) {
    this.http = requireNonNull(http, "http");
    this.opTimeout = requireNonNull(opTimeout, "opTimeout");
  }

  /** A fresh HTTP/1.1 client with a connect timeout of {@code opTimeout}. */
  public static StoreClient create(Duration opTimeout) {
    HttpClient http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(opTimeout)
            .build();
    return new StoreClient(http, opTimeout);
  }

  /** {@code GET /kv/{key}}, with {@code ?local=true} when {@code local}. */
  public StoreReply read(URI store, String key, boolean local) {
    URI uri = URI.create(base(store) + "/kv/" + encode(key) + (local ? "?local=true" : ""));
    return send(HttpRequest.newBuilder(uri).timeout(opTimeout).GET().build());
  }

  /** {@code PUT /kv/{key}} with {@code value} as the body. */
  public StoreReply write(URI store, String key, String value) {
    URI uri = URI.create(base(store) + "/kv/" + encode(key));
    HttpRequest request =
        HttpRequest.newBuilder(uri)
            .timeout(opTimeout)
            .PUT(HttpRequest.BodyPublishers.ofString(value, StandardCharsets.UTF_8))
            .build();
    return send(request);
  }

  private StoreReply send(HttpRequest request) {
    return HttpCalls.send(http, request, opTimeout, StoreClient::parse, failure -> failure);
  }

  static StoreReply.Answer parse(HttpResponse<String> response) {
    JsonObject body = parseObject(response.body());
    String replica =
        response.headers().firstValue("X-Outrigger-Replica").orElse(string(body, "replica"));
    Version version =
        response
            .headers()
            .firstValue("X-Outrigger-Version")
            .map(Version::parse)
            .orElseGet(() -> version(body));
    String outcome =
        response.headers().firstValue("X-Outrigger-Outcome").orElse(string(body, "outcome"));
    String error = body == null ? abbreviate(response.body()) : string(body, "error");
    return new StoreReply.Answer(
        response.statusCode(),
        string(body, "value"),
        body != null && body.has("key"),
        replica,
        version,
        outcome,
        error);
  }

  private static JsonObject parseObject(String text) {
    try {
      JsonElement e = JsonParser.parseString(text);
      return e.isJsonObject() ? e.getAsJsonObject() : null;
    } catch (JsonParseException | IllegalStateException e) {
      return null;
    }
  }

  private static String string(JsonObject body, String field) {
    if (body == null || !body.has(field) || body.get(field).isJsonNull()) {
      return null;
    }
    JsonElement e = body.get(field);
    return e.isJsonPrimitive() ? e.getAsString() : e.toString();
  }

  private static Version version(JsonObject body) {
    if (body == null || !body.has("version") || !body.get("version").isJsonObject()) {
      return null;
    }
    JsonObject v = body.getAsJsonObject("version");
    try {
      return new Version(v.get("time").getAsLong(), v.get("replica").getAsString());
    } catch (RuntimeException e) {
      return null;
    }
  }

  private static String abbreviate(String text) {
    String s = text == null ? "" : text.strip();
    return s.length() > 120 ? s.substring(0, 120) + "…" : s;
  }

  private static String base(URI store) {
    String s = store.toString();
    return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
  }

  private static String encode(String key) {
    return URLEncoder.encode(key, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
