package io.outrigger.cli;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/** A small client of the control plane's HTTP API, for {@code outrigger cp}. */
final class ControlPlaneClient {
  /** The default address: the control plane's default {@code --http-address}. */
  static final String DEFAULT_URL = "http://127.0.0.1:18001";

  private final URI base;
  private final Optional<String> token;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  /**
   * @param token an API token, sent as {@code authorization: Bearer}; empty for a control plane
   *     without tokens
   */
  ControlPlaneClient(String base, Optional<String> token) {
    this.base = URI.create(base.endsWith("/") ? base.substring(0, base.length() - 1) : base);
    this.token = token;
  }

  /** The answer: status and body. */
  record Answer(int status, String body) {
    boolean ok() {
      return status >= 200 && status < 300;
    }
  }

  Answer get(String path) throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(uri(path)).GET());
  }

  Answer put(String path, String body) throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(uri(path)).PUT(HttpRequest.BodyPublishers.ofString(body)));
  }

  Answer post(String path, String body) throws IOException, InterruptedException {
    return send(
        HttpRequest.newBuilder(uri(path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body)));
  }

  Answer delete(String path) throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(uri(path)).DELETE());
  }

  private URI uri(String path) {
    return URI.create(base + path);
  }

  private Answer send(HttpRequest.Builder request) throws IOException, InterruptedException {
    token.ifPresent(t -> request.header("Authorization", "Bearer " + t));
    HttpResponse<String> response =
        http.send(
            request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    return new Answer(response.statusCode(), response.body());
  }
}
