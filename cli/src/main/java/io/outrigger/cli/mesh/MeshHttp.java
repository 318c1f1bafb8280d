package io.outrigger.cli.mesh;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** The few HTTP calls a mesh makes to its own processes: short, bounded, HTTP/1.1. */
final class MeshHttp {
  private static final HttpClient CLIENT =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(2))
          .build();

  private MeshHttp() {}

  /** The answer: status and body; status 0 when nothing answered. */
  record Answer(int status, String body) {
    boolean ok() {
      return status >= 200 && status < 300;
    }
  }

  static Answer get(URI uri) {
    return send(HttpRequest.newBuilder(uri).GET());
  }

  /**
   * A call to the mesh's control plane API with the mesh's API token ({@link MeshTokens#apiFile}).
   *
   * @param path from {@code /v1/...}
   * @param json the body, or null for none
   */
  static Answer controlPlane(MeshState mesh, String method, String path, String json) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(mesh.controlPlane().url().resolve(path))
            .method(
                method,
                json == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(json));
    if (json != null) {
      request.header("Content-Type", "application/json");
    }
    try {
      request.header("Authorization", "Bearer " + MeshTokens.api(mesh));
    } catch (IOException e) {
      return new Answer(0, "no API token: " + e.getMessage());
    }
    return send(request);
  }

  private static Answer send(HttpRequest.Builder request) {
    try {
      HttpResponse<String> response =
          CLIENT.send(
              request.timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
      return new Answer(response.statusCode(), response.body());
    } catch (IOException e) {
      return new Answer(0, String.valueOf(e.getMessage()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Answer(0, "interrupted");
    }
  }
}
