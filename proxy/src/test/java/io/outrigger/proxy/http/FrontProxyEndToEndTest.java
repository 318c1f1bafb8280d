package io.outrigger.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.outrigger.proxy.testkit.HttpUpstream;
import io.outrigger.proxy.testkit.SidecarFixture;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * An HTTP front proxy started from a bootstrap written as Envoy's documentation writes one: routing
 * by prefix and header, a weighted split, rewrites and header mutations, a direct response, over
 * HTTP/1.1 and HTTP/2 prior knowledge (curl).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class FrontProxyEndToEndTest {
  private static final String BOOTSTRAP =
      """
      admin:
        address:
          socket_address: { address: 127.0.0.1, port_value: 0 }
      static_resources:
        listeners:
        - name: front
          address:
            socket_address: { address: 127.0.0.1, port_value: 0 }
          filter_chains:
          - filters:
            - name: envoy.filters.network.http_connection_manager
              typed_config:
                "@type": type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager
                stat_prefix: front_http
                codec_type: AUTO
                route_config:
                  name: routes
                  virtual_hosts:
                  - name: all
                    domains: ["*"]
                    request_headers_to_add:
                    - header: { key: x-proxied-by, value: outrigger }
                    response_headers_to_add:
                    - header: { key: x-served-by, value: front }
                    routes:
                    - match: { path: /healthz }
                      direct_response: { status: 200, body: { inline_string: "ok" } }
                    - match: { path: /bytes }
                      direct_response: { status: 200, body: { inline_bytes: "/wD+Cg==" } }
                    - match:
                        prefix: /api
                        headers:
                        - name: x-canary
                          string_match: { exact: "true" }
                      route: { cluster: canary }
                    - match: { prefix: /api/v1/ }
                      route: { cluster: api, prefix_rewrite: /v2/ }
                    - match: { prefix: /split }
                      route:
                        weighted_clusters:
                          clusters:
                          - { name: api, weight: 80 }
                          - { name: canary, weight: 20 }
                http_filters:
                - name: envoy.filters.http.router
                  typed_config:
                    "@type": type.googleapis.com/envoy.extensions.filters.http.router.v3.Router
        clusters:
        - name: api
          connect_timeout: 1s
          load_assignment:
            cluster_name: api
            endpoints:
            - lb_endpoints:
              - endpoint:
                  address:
                    socket_address:
                      address: 127.0.0.1
                      port_value: ${API_PORT}
        - name: canary
          connect_timeout: 1s
          load_assignment:
            cluster_name: canary
            endpoints:
            - lb_endpoints:
              - endpoint:
                  address:
                    socket_address:
                      address: 127.0.0.1
                      port_value: ${CANARY_PORT}
      """;

  private static final HttpClient CLIENT =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  private HttpUpstream api;
  private HttpUpstream canary;
  private SidecarFixture proxy;
  private int port;

  @BeforeEach
  void start() throws Exception {
    api = new HttpUpstream("api");
    canary = new HttpUpstream("canary");
    proxy =
        SidecarFixture.start(
            BOOTSTRAP,
            Map.of(
                "API_PORT",
                String.valueOf(api.port()),
                "CANARY_PORT",
                String.valueOf(canary.port())));
    port = proxy.listener("front").getPort();
  }

  @AfterEach
  void stop() {
    proxy.close();
    api.close();
    canary.close();
  }

  private HttpResponse<String> get(String path, String... headers) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(10));
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void routesByPrefixAndHeaderWithRewritesAndMutations() throws Exception {
    HttpResponse<String> toApi = get("/api/v1/users?id=7");
    assertThat(toApi.body()).isEqualTo("hello from api");
    assertThat(toApi.headers().firstValue("x-served-by")).hasValue("front");
    assertThat(api.seen().get(0).uri()).isEqualTo("/v2/users?id=7");
    assertThat(api.seen().get(0).header("x-proxied-by")).isEqualTo("outrigger");

    assertThat(get("/api/v1/users", "x-canary", "true").body()).isEqualTo("hello from canary");
    assertThat(get("/healthz").body()).as("the direct_response body, exactly").isEqualTo("ok");
    assertThat(get("/nothing").statusCode()).isEqualTo(404);
  }

  @Test
  void aDirectResponseSendsItsBytesExactly() throws Exception {
    HttpResponse<byte[]> r =
        CLIENT.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/bytes"))
                .timeout(Duration.ofSeconds(10))
                .build(),
            HttpResponse.BodyHandlers.ofByteArray());

    // 0xff and 0xfe are no UTF-8; a body decoded as text and encoded again would not survive.
    assertThat(r.body()).containsExactly(0xff, 0x00, 0xfe, 0x0a);
    assertThat(r.headers().firstValueAsLong("content-length")).hasValue(4);
  }

  @Test
  void weightedSplitHoldsWithinFivePercentOverTenThousandRequests() throws Exception {
    int n = 10_000;
    int toCanary = 0;
    HttpRequest split =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/split")).build();
    for (int batch = 0; batch < n / 50; batch++) {
      List<java.util.concurrent.CompletableFuture<HttpResponse<String>>> inFlight =
          new java.util.ArrayList<>();
      for (int i = 0; i < 50; i++) {
        inFlight.add(CLIENT.sendAsync(split, HttpResponse.BodyHandlers.ofString()));
      }
      for (var f : inFlight) {
        if (f.get(10, TimeUnit.SECONDS).body().equals("hello from canary")) {
          toCanary++;
        }
      }
    }
    assertThat((double) toCanary / n).isBetween(0.15, 0.25);
    // Pooling: 10,000 requests, at most 50 at a time, need at most 50 connections per cluster.
    double opened =
        proxy.metric("envoy_cluster_upstream_cx_total{envoy_cluster_name=\"api\"}")
            + proxy.metric("envoy_cluster_upstream_cx_total{envoy_cluster_name=\"canary\"}");
    assertThat(opened).isLessThanOrEqualTo(100);
    assertThat(
            proxy.metric(
                "envoy_http_downstream_rq_xx{envoy_response_code_class=\"2\",envoy_http_conn_manager_prefix=\"front_http\"}"))
        .isEqualTo(n);
  }

  @Test
  void curlOverHttp1AndHttp2PriorKnowledge() throws Exception {
    assertThat(curl("--http1.1")).contains("HTTP/1.1 200").contains("hello from api");
    assertThat(curl("--http2-prior-knowledge")).contains("HTTP/2 200").contains("hello from api");
  }

  private String curl(String protocol) throws Exception {
    Process p =
        new ProcessBuilder(
                "curl",
                "-s",
                "-i",
                "--max-time",
                "10",
                protocol,
                "http://127.0.0.1:" + port + "/api/v1/x")
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(15, TimeUnit.SECONDS)).isTrue();
    return out;
  }

  @SuppressWarnings("unused")
  private static List<String> unused() {
    return List.of();
  }
}
