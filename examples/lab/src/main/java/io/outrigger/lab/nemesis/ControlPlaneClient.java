package io.outrigger.lab.nemesis;

import static java.util.Objects.requireNonNull;

import com.google.gson.Gson;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The control plane's fault API ({@code /v1/faults...}) over HTTP/1.1. Every call blocks the
 * calling (nemesis) thread for at most the request timeout and throws {@link NemesisException} when
 * the answer is not 200.
 */
public final class ControlPlaneClient {
  private static final Gson GSON = new Gson();

  private final HttpClient http;
  private final URI base;
  private final Duration timeout;
  private final Optional<String> token;

  /** A client of the control plane at {@code base} (e.g. {@code http://127.0.0.1:18000}). */
  public ControlPlaneClient(HttpClient http, URI base, Duration timeout) {
    this(http, base, Optional.empty(), timeout);
  }

  /**
   * As above, sending {@code token} as {@code authorization: Bearer} (an API token with scopes
   * status and faults).
   */
  public ControlPlaneClient(HttpClient http, URI base, Optional<String> token, Duration timeout) {
    this.token = requireNonNull(token, "token");
    this.http = requireNonNull(http, "http");
    String s = base.toString();
    this.base = URI.create(s.endsWith("/") ? s.substring(0, s.length() - 1) : s);
    this.timeout = requireNonNull(timeout, "timeout");
  }

  /**
   * What {@code GET /v1/faults} said.
   *
   * @param version the fault state's version
   * @param applied per node, whether every connected proxy of it ACKed that version
   */
  public record FaultState(long version, Map<String, Boolean> applied) {
    public FaultState {
      applied = Map.copyOf(applied);
    }

    /** True when every one of {@code nodes} is listed and applied. */
    public boolean appliedOn(List<String> nodes) {
      return nodes.stream().allMatch(n -> Boolean.TRUE.equals(applied.get(n)));
    }
  }

  /** Puts {@code fault} in force: one POST, or for link rules a heal then one POST per rule. */
  public FaultState apply(Fault fault) {
    if (fault instanceof Fault.Partition p) {
      JsonObject body = new JsonObject();
      body.add("groups", GSON.toJsonTree(p.groups()));
      return send("POST", "/v1/faults/partition", body);
    }
    if (fault instanceof Fault.Isolate i) {
      return isolate(i.node());
    }
    if (fault instanceof Fault.IsolateLeader l) {
      return isolate(l.node());
    }
    FaultState state = heal();
    for (Fault.LinkRule rule : ((Fault.Links) fault).rules()) {
      state = send("POST", "/v1/faults/link", linkBody(rule));
    }
    return state;
  }

  private FaultState isolate(String node) {
    JsonObject body = new JsonObject();
    body.addProperty("node", node);
    return send("POST", "/v1/faults/isolate", body);
  }

  /** {@code DELETE /v1/faults}. */
  public FaultState heal() {
    return send("DELETE", "/v1/faults", null);
  }

  /** {@code GET /v1/faults}. */
  public FaultState state() {
    return send("GET", "/v1/faults", null);
  }

  private static JsonObject linkBody(Fault.LinkRule rule) {
    JsonObject body = new JsonObject();
    body.addProperty("from", rule.from());
    body.addProperty("to", rule.to());
    body.addProperty("action", rule.action());
    if (rule.delay() != null) {
      body.addProperty("delay", rule.delay());
    }
    if (rule.fraction() != null) {
      body.addProperty("fraction", rule.fraction());
    }
    body.addProperty("both_ways", rule.bothWays());
    return body;
  }

  private FaultState send(String method, String path, JsonObject body) {
    HttpRequest.BodyPublisher publisher =
        body == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8);
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(URI.create(base + path))
            .timeout(timeout)
            .header("Content-Type", "application/json")
            .method(method, publisher);
    token.ifPresent(t -> builder.header("Authorization", "Bearer " + t));
    HttpRequest request = builder.build();
    HttpResponse<String> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new NemesisException(method + " " + path + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new NemesisException(method + " " + path + ": interrupted", e);
    }
    if (response.statusCode() != 200) {
      throw new NemesisException(
          "%s %s: %s %s".formatted(method, path, response.statusCode(), response.body()), null);
    }
    return parse(response.body());
  }

  static FaultState parse(String text) {
    try {
      JsonObject o = JsonParser.parseString(text).getAsJsonObject();
      long version = o.has("version") ? o.get("version").getAsLong() : 0;
      Map<String, Boolean> applied = new HashMap<>();
      if (o.has("nodes") && o.get("nodes").isJsonObject()) {
        for (Map.Entry<String, JsonElement> e : o.getAsJsonObject("nodes").entrySet()) {
          JsonElement node = e.getValue();
          boolean ok =
              node.isJsonObject()
                  && node.getAsJsonObject().has("applied")
                  && node.getAsJsonObject().get("applied").getAsBoolean();
          applied.put(e.getKey(), ok);
        }
      }
      return new FaultState(version, applied);
    } catch (JsonParseException | IllegalStateException | UnsupportedOperationException e) {
      throw new NemesisException("fault state is not the expected JSON: " + text, e);
    }
  }
}
