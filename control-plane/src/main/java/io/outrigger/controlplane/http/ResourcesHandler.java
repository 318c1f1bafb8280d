package io.outrigger.controlplane.http;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.sun.net.httpserver.HttpExchange;
import io.outrigger.api.validation.ConfigException;
import io.outrigger.config.ResourceYaml;
import io.outrigger.controlplane.ControlPlane;
import io.outrigger.controlplane.resources.FolderContents;
import io.outrigger.controlplane.resources.ResourceType;
import io.outrigger.controlplane.resources.SnapshotBuilder;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * {@code /v1/resources}: {@code GET} lists the folder's resources served to a group ({@code
 * ?group=}, default the shared ones), as a JSON list that {@code PUT} takes back; {@code PUT} adds
 * or replaces resources (a resource file, YAML or JSON) and writes them to the folder; {@code
 * DELETE /v1/resources/{type}/{name}} removes one.
 */
final class ResourcesHandler {
  private static final String PREFIX = "/v1/resources";

  private final ControlPlane cp;

  ResourcesHandler(ControlPlane cp) {
    this.cp = cp;
  }

  Reply handle(HttpExchange exchange) throws IOException {
    List<String> segments = Query.segments(exchange, PREFIX);
    String method = exchange.getRequestMethod();
    if (segments.isEmpty() && method.equals("GET")) {
      return list(Query.param(exchange, "group").orElse(SnapshotBuilder.DEFAULT_GROUP));
    }
    if (segments.isEmpty() && method.equals("PUT")) {
      return put(ControlPlaneHttpServer.body(exchange), Query.param(exchange, "group"));
    }
    if (segments.size() == 2 && method.equals("DELETE")) {
      return delete(segments.get(0), segments.get(1));
    }
    return Reply.error(
        segments.isEmpty() || segments.size() == 2 ? 405 : 404,
        method
            + " "
            + exchange.getRequestURI().getPath()
            + " (expected: GET or PUT /v1/resources, DELETE /v1/resources/{type}/{name})");
  }

  private Reply list(String group) {
    JsonArray out = new JsonArray();
    for (FolderContents.Located r : cp.folderContents().resourcesFor(group)) {
      out.add(JsonParser.parseString(ResourceYaml.json(r.proto())));
    }
    return Reply.json(200, out);
  }

  private Reply put(String body, Optional<String> group) throws IOException {
    try {
      return written(cp.put(body, group));
    } catch (ConfigException e) {
      return Reply.error(400, e);
    }
  }

  private Reply delete(String typeName, String name) throws IOException {
    Optional<ResourceType> type = ResourceType.byName(typeName);
    if (type.isEmpty()) {
      return Reply.error(
          404,
          "unknown resource type \""
              + typeName
              + "\" (expected: listeners, routes, clusters or endpoints)");
    }
    try {
      return cp.delete(type.get(), name)
          .map(this::written)
          .orElseGet(() -> Reply.error(404, "no " + typeName + " resource named \"" + name + "\""));
    } catch (ConfigException e) {
      return Reply.error(409, e);
    }
  }

  private Reply written(List<Path> files) {
    JsonObject out = new JsonObject();
    JsonArray written = new JsonArray();
    Path dir = cp.folderDir();
    files.forEach(f -> written.add(dir.relativize(f).toString()));
    out.add("written", written);
    return Reply.json(200, out);
  }
}
