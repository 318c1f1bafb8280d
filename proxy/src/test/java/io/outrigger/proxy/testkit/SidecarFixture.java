package io.outrigger.proxy.testkit;

import io.outrigger.config.BootstrapLoader;
import io.outrigger.config.LoadedBootstrap;
import io.outrigger.proxy.server.Sidecar;
import io.outrigger.proxy.server.SidecarOptions;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/** Starts a real sidecar from bootstrap YAML with {@code ${VAR}} filled from a map. */
public final class SidecarFixture implements AutoCloseable {
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private final Sidecar sidecar;

  private SidecarFixture(Sidecar sidecar) {
    this.sidecar = sidecar;
  }

  public static SidecarFixture start(String yaml, Map<String, String> vars) throws Exception {
    return start(yaml, vars, new SidecarOptions(2, Duration.ofSeconds(1)));
  }

  public static SidecarFixture start(String yaml, Map<String, String> vars, SidecarOptions options)
      throws Exception {
    LoadedBootstrap bootstrap = BootstrapLoader.load(yaml, "test.yaml", vars);
    return new SidecarFixture(Sidecar.start(bootstrap, options));
  }

  public Sidecar sidecar() {
    return sidecar;
  }

  public InetSocketAddress listener(String name) {
    return sidecar.listenerAddress(name);
  }

  public HttpResponse<String> admin(String method, String pathAndQuery)
      throws IOException, InterruptedException {
    InetSocketAddress a = sidecar.adminAddress().orElseThrow();
    HttpRequest req =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + a.getPort() + pathAndQuery))
            .method(method, HttpRequest.BodyPublishers.noBody())
            .timeout(Duration.ofSeconds(5))
            .build();
    return HTTP.send(req, HttpResponse.BodyHandlers.ofString());
  }

  /**
   * The value of Envoy's listener statistic {@code stat} of listener {@code name}: {@code
   * envoy_listener_<stat>{envoy_listener_address="127.0.0.1_<port>"}}.
   */
  public double listenerMetric(String stat, String name) throws IOException, InterruptedException {
    InetSocketAddress a = listener(name);
    return metric(
        "envoy_listener_"
            + stat
            + "{envoy_listener_address=\""
            + a.getAddress().getHostAddress()
            + "_"
            + a.getPort()
            + "\"}");
  }

  /**
   * The value of one Prometheus sample line, e.g. {@code
   * envoy_cluster_upstream_cx_total{envoy_cluster_name="c"}}.
   */
  public double metric(String sample) throws IOException, InterruptedException {
    for (String line : admin("GET", "/stats/prometheus").body().split("\n")) {
      if (line.startsWith(sample + " ")) {
        return Double.parseDouble(line.substring(sample.length() + 1).trim());
      }
    }
    throw new AssertionError("no sample " + sample);
  }

  @Override
  public void close() {
    sidecar.close();
  }
}
