package io.outrigger.cli.mesh;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Each node's xDS state, read from the control plane's {@code GET /v1/status}: {@code SYNCED} when
 * its sidecar acknowledged the current version of every type it was sent, else the worst state of a
 * type ({@code NACKED} before {@code STALE}), or {@code NOT_SENT} while it has not been sent its
 * listeners and clusters yet.
 */
final class MeshSync {
  private static final List<String> REQUIRED = List.of("CDS", "LDS", "RDS");

  private MeshSync() {}

  /** Node id to state; a node whose sidecar is not connected is absent. */
  static Map<String, String> states(MeshState mesh) {
    MeshHttp.Answer answer = MeshHttp.controlPlane(mesh, "GET", "/v1/status", null);
    Map<String, String> out = new HashMap<>();
    if (!answer.ok()) {
      return out;
    }
    JsonObject status = JsonParser.parseString(answer.body()).getAsJsonObject();
    for (JsonElement e : status.getAsJsonArray("proxies")) {
      JsonObject proxy = e.getAsJsonObject();
      out.put(proxy.get("node_id").getAsString(), state(proxy.getAsJsonObject("types")));
    }
    return out;
  }

  static String state(JsonObject types) {
    boolean stale = false;
    boolean notSent = false;
    for (Map.Entry<String, JsonElement> t : types.entrySet()) {
      String state = t.getValue().getAsJsonObject().get("state").getAsString();
      if (state.equals("NACKED")) {
        return "NACKED";
      }
      stale |= state.equals("STALE");
      notSent |= state.equals("NOT_SENT") && REQUIRED.contains(t.getKey());
    }
    return notSent ? "NOT_SENT" : stale ? "STALE" : "SYNCED";
  }
}
