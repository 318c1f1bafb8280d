package io.outrigger.cli.mesh;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Puts faults into a mesh through the control plane's fault API ({@code /v1/faults}) and waits
 * until every node's sidecar has acknowledged them, so that the caller knows the network is cut
 * when this returns.
 */
public final class MeshFaults {
  private static final String FAULTS = "/v1/faults";

  /** How long to wait for every sidecar to acknowledge a fault change. */
  static final Duration APPLY_TIMEOUT = Duration.ofSeconds(10);

  private MeshFaults() {}

  /** The answer of the fault API after the change was applied: the state now in force. */
  public record Applied(JsonObject state, boolean everywhere, Duration took) {}

  /** Splits the mesh into {@code groups}: every link between two groups drops, both ways. */
  public static Applied partition(MeshState mesh, List<List<String>> groups) throws MeshException {
    JsonObject body = new JsonObject();
    JsonArray all = new JsonArray();
    for (List<String> group : groups) {
      JsonArray g = new JsonArray();
      group.forEach(g::add);
      all.add(g);
    }
    body.add("groups", all);
    return apply(mesh, MeshHttp.controlPlane(mesh, "POST", FAULTS + "/partition", body.toString()));
  }

  /** Cuts {@code node} off from every other node, both ways. */
  public static Applied isolate(MeshState mesh, String node) throws MeshException {
    JsonObject body = new JsonObject();
    body.addProperty("node", node);
    return apply(mesh, MeshHttp.controlPlane(mesh, "POST", FAULTS + "/isolate", body.toString()));
  }

  /** Removes every fault. */
  public static Applied heal(MeshState mesh) throws MeshException {
    return apply(mesh, MeshHttp.controlPlane(mesh, "DELETE", FAULTS, null));
  }

  /** The faults in force, as the control plane shows them. */
  public static JsonObject current(MeshState mesh) throws MeshException {
    MeshHttp.Answer answer = MeshHttp.controlPlane(mesh, "GET", FAULTS, null);
    check(mesh, answer);
    return JsonParser.parseString(answer.body()).getAsJsonObject();
  }

  private static Applied apply(MeshState mesh, MeshHttp.Answer answer) throws MeshException {
    check(mesh, answer);
    long start = System.nanoTime();
    long deadline = start + APPLY_TIMEOUT.toNanos();
    JsonObject state = JsonParser.parseString(answer.body()).getAsJsonObject();
    while (!appliedEverywhere(state) && System.nanoTime() < deadline) {
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
      state = current(mesh);
    }
    return new Applied(
        state, appliedEverywhere(state), Duration.ofNanos(System.nanoTime() - start));
  }

  static boolean appliedEverywhere(JsonObject state) {
    JsonObject nodes = state.getAsJsonObject("nodes");
    if (nodes == null) {
      return false;
    }
    for (Map.Entry<String, JsonElement> n : nodes.entrySet()) {
      JsonElement applied = n.getValue().getAsJsonObject().get("applied");
      if (applied == null || !applied.getAsBoolean()) {
        return false;
      }
    }
    return true;
  }

  private static void check(MeshState mesh, MeshHttp.Answer answer) throws MeshException {
    if (answer.status() == 0) {
      throw new MeshException(
          "cannot reach the mesh's control plane at "
              + mesh.controlPlane().url()
              + ": "
              + answer.body());
    }
    if (!answer.ok()) {
      throw new MeshException(
          "the control plane refused: " + answer.status() + " " + answer.body());
    }
  }
}
