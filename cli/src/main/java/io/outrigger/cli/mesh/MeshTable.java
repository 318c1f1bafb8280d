package io.outrigger.cli.mesh;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.outrigger.cli.TextTable;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * How {@code mesh up} and {@code mesh status} print a mesh: a table for people, JSON for scripts.
 */
final class MeshTable {
  private MeshTable() {}

  static String render(MeshState mesh, List<NodeStatus> status) {
    List<String[]> rows = new ArrayList<>();
    rows.add(
        new String[] {
          "NODE", "STORE (through its sidecar)", "SIDECAR ADMIN", "STORE", "SIDECAR", "XDS"
        });
    for (NodeStatus s : status) {
      rows.add(
          new String[] {
            s.name(),
            s.storeUrl(),
            s.adminUrl(),
            !s.storeRunning() ? "stopped" : s.storeHealthy() ? "healthy" : "unreachable",
            !s.sidecarRunning() ? "stopped" : s.sidecarReady() ? "ready" : "not ready",
            s.sync()
          });
    }
    StringBuilder out = new StringBuilder(TextTable.render(rows, 2));
    out.append("control plane  ")
        .append(mesh.controlPlane().url().resolve("/v1/status"))
        .append("   (xDS on 127.0.0.1:")
        .append(mesh.controlPlane().xdsPort())
        .append(", ")
        .append(
            mesh.external()
                ? "external"
                : MeshProcesses.alive(mesh.controlPlane().process()) ? "running" : "stopped")
        .append(")\n");
    out.append("API token      ").append(MeshTokens.apiFile(mesh.path())).append('\n');
    out.append("mode ").append(mesh.mode()).append("   folder ").append(mesh.dir());
    out.append("   logs ").append(MeshFiles.logs(mesh)).append('\n');
    return out.toString();
  }

  static String json(MeshState mesh, List<NodeStatus> status) {
    JsonObject out = new JsonObject();
    out.addProperty("mode", mesh.mode());
    out.addProperty("dir", mesh.dir());
    JsonObject cp = new JsonObject();
    cp.addProperty("url", mesh.controlPlane().url().toString());
    cp.addProperty("status_url", mesh.controlPlane().url().resolve("/v1/status").toString());
    cp.addProperty("api_token_file", MeshTokens.apiFile(mesh.path()).toString());
    cp.addProperty("xds_address", "127.0.0.1:" + mesh.controlPlane().xdsPort());
    cp.addProperty("running", Mesh.alive(mesh, mesh.controlPlane().process()));
    out.add("control_plane", cp);
    JsonObject nodes = new JsonObject();
    for (NodeStatus s : status) {
      JsonObject n = new JsonObject();
      n.addProperty("store_url", s.storeUrl());
      n.addProperty("admin_url", s.adminUrl());
      n.addProperty("healthy", s.healthy());
      n.addProperty("store_healthy", s.storeHealthy());
      n.addProperty("sidecar_ready", s.sidecarReady());
      n.addProperty("sync", s.sync());
      n.addProperty("store_running", s.storeRunning());
      n.addProperty("sidecar_running", s.sidecarRunning());
      nodes.add(s.name(), n);
    }
    out.add("nodes", nodes);
    return new GsonBuilder().setPrettyPrinting().create().toJson(out);
  }

  /** {@code n1->n2 drop, n2->n1 drop}, or {@code none}. */
  static String describeFaults(JsonObject state) {
    if (state.getAsJsonArray("links") == null || state.getAsJsonArray("links").isEmpty()) {
      return "none";
    }
    List<String> links = new ArrayList<>();
    for (JsonElement e : state.getAsJsonArray("links")) {
      JsonObject l = e.getAsJsonObject();
      StringBuilder link =
          new StringBuilder(l.get("from").getAsString())
              .append("->")
              .append(l.get("to").getAsString())
              .append(' ')
              .append(l.get("action").getAsString());
      if (l.has("delay") && !l.get("delay").isJsonNull()) {
        link.append(' ').append(l.get("delay").getAsString());
      }
      if (l.has("fraction") && !l.get("fraction").isJsonNull()) {
        link.append(' ').append(l.get("fraction").getAsString());
      }
      links.add(link.toString());
    }
    return links.stream().collect(Collectors.joining(", "));
  }
}
