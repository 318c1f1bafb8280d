package io.outrigger.controlplane.http;

import com.google.gson.JsonArray;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;
import io.outrigger.api.validation.ConfigException;
import io.outrigger.controlplane.ConfigStatus;
import io.outrigger.controlplane.ControlPlane;
import io.outrigger.controlplane.resources.GroupSnapshot;
import io.outrigger.controlplane.resources.ResourceType;
import io.outrigger.controlplane.xds.ProxyStatus;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** The body of {@code GET /v1/status}; field names are documented in {@code docs/xds.md}. */
final class StatusJson {
  private StatusJson() {}

  static JsonObject of(ControlPlane cp) {
    JsonObject out = new JsonObject();
    out.add("config", config(cp.configStatus()));
    JsonObject groups = new JsonObject();
    for (Map.Entry<String, GroupSnapshot> e : cp.targets().entrySet()) {
      groups.add(e.getKey(), versions(e.getValue()));
    }
    out.add("groups", groups);
    JsonArray proxies = new JsonArray();
    cp.tracker().proxies().forEach(p -> proxies.add(proxy(p)));
    out.add("proxies", proxies);
    JsonObject latency = new JsonObject();
    for (ResourceType type : ResourceType.values()) {
      latency.add(type.xds(), percentiles(cp.tracker().pushToAck(type)));
    }
    out.add("push_to_ack", latency);
    return out;
  }

  /** The {@code error} object of every refusal: message, file, line, field, reason. */
  static JsonObject error(ConfigException e) {
    JsonObject error = new JsonObject();
    error.addProperty("message", e.getMessage());
    error.addProperty("file", e.source());
    error.addProperty("line", e.line());
    error.addProperty("field", e.fieldPath());
    error.addProperty("reason", e.reason());
    return error;
  }

  private static JsonObject config(ConfigStatus status) {
    JsonObject config = new JsonObject();
    config.addProperty("state", status.ok() ? "OK" : "REFUSED");
    config.add(
        "error",
        status
            .error()
            .<com.google.gson.JsonElement>map(StatusJson::error)
            .orElse(JsonNull.INSTANCE));
    config.addProperty("last_attempt", status.lastAttempt().toString());
    config.addProperty("last_good", status.lastGood().map(Object::toString).orElse(null));
    return config;
  }

  private static JsonObject versions(GroupSnapshot snapshot) {
    JsonObject versions = new JsonObject();
    snapshot.versions().forEach((type, v) -> versions.addProperty(type.xds(), v));
    return versions;
  }

  private static JsonObject proxy(ProxyStatus p) {
    JsonObject proxy = new JsonObject();
    proxy.addProperty("node_id", p.nodeId());
    proxy.addProperty("node_cluster", p.nodeCluster());
    proxy.addProperty("group", p.group());
    proxy.addProperty("address", p.address());
    proxy.addProperty("connected_since", p.connectedSince().toString());
    JsonObject types = new JsonObject();
    for (ResourceType type : ResourceType.values()) {
      ProxyStatus.TypeStatus t = p.types().get(type);
      JsonObject json = new JsonObject();
      json.addProperty("state", t.state().name());
      json.addProperty("sent", t.sent().orElse(null));
      json.addProperty("acked", t.acked().orElse(null));
      json.addProperty("published", t.published());
      json.addProperty("nack_error", t.nackError().orElse(null));
      json.addProperty("push_to_ack_ms", millis(t.pushToAck()));
      types.add(type.xds(), json);
    }
    proxy.add("types", types);
    return proxy;
  }

  private static JsonObject percentiles(Timer timer) {
    JsonObject json = new JsonObject();
    json.addProperty("count", timer.count());
    for (ValueAtPercentile v : timer.takeSnapshot().percentileValues()) {
      String key = v.percentile() == 0.5 ? "p50_ms" : "p99_ms";
      json.addProperty(key, v.value(TimeUnit.MILLISECONDS));
    }
    return json;
  }

  private static Double millis(Optional<Duration> d) {
    return d.map(x -> x.toNanos() / 1e6).orElse(null);
  }
}
