package io.outrigger.proxy.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.outrigger.proxy.server.SidecarOptions;
import io.outrigger.proxy.stats.StatsFormat;
import io.outrigger.proxy.testkit.HttpUpstream;
import io.outrigger.proxy.testkit.SidecarFixture;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code /stats} and {@code /stats/prometheus} as Envoy's admin answers them, against a sidecar
 * started from a bootstrap written as Envoy's documentation writes one (with a {@code
 * stats_config}).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class EnvoyStatsEndpointTest {
  private static final String BOOTSTRAP =
      """
      admin:
        address:
          socket_address: { address: 127.0.0.1, port_value: 0 }
      stats_config:
        stats_matcher:
          exclusion_list:
            patterns:
            - suffix: upstream_cx_connect_timeout
      static_resources:
        listeners:
        - name: listener_0
          address:
            socket_address: { address: 127.0.0.1, port_value: 0 }
          filter_chains:
          - filters:
            - name: envoy.filters.network.http_connection_manager
              typed_config:
                "@type": type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager
                stat_prefix: ingress_http
                route_config:
                  name: local_route
                  virtual_hosts:
                  - name: local_service
                    domains: ["*"]
                    routes:
                    - match: { prefix: "/" }
                      route: { cluster: service_envoyproxy_io }
                http_filters:
                - name: envoy.filters.http.router
                  typed_config:
                    "@type": type.googleapis.com/envoy.extensions.filters.http.router.v3.Router
        clusters:
        - name: service_envoyproxy_io
          connect_timeout: 1s
          circuit_breakers:
            thresholds:
            - max_requests: 100
          load_assignment:
            cluster_name: service_envoyproxy_io
            endpoints:
            - lb_endpoints:
              - endpoint:
                  address:
                    socket_address:
                      address: 127.0.0.1
                      port_value: ${PORT}
      """;
  private static final String CLUSTER = "cluster.service_envoyproxy_io.";
  private static final HttpClient CLIENT = HttpClient.newHttpClient();

  private HttpUpstream upstream;
  private SidecarFixture proxy;

  @BeforeEach
  void upstream() throws Exception {
    upstream = new HttpUpstream("service");
  }

  @AfterEach
  void stop() {
    if (proxy != null) {
      proxy.close();
    }
    upstream.close();
  }

  private void start(StatsFormat format) throws Exception {
    proxy =
        SidecarFixture.start(
            BOOTSTRAP,
            Map.of("PORT", String.valueOf(upstream.port())),
            new SidecarOptions(2, Duration.ofSeconds(1)).withStatsFormat(format));
  }

  /** Two 200s and a 503 through the listener. */
  private void traffic() throws Exception {
    int port = proxy.listener("listener_0").getPort();
    URI uri = URI.create("http://127.0.0.1:" + port + "/healthz");
    for (int status : new int[] {200, 200, 503}) {
      upstream.healthStatus(status);
      HttpResponse<String> r =
          CLIENT.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).isEqualTo(status);
    }
    // The client may read an answer before the upstream side has counted it.
    await()
        .atMost(java.time.Duration.ofSeconds(5))
        .until(
            () ->
                proxy
                    .admin("GET", "/stats?filter=upstream_rq_total")
                    .body()
                    .contains(CLUSTER + "upstream_rq_total: 3\n"));
  }

  @Test
  void statsUsesEnvoysDottedNamesAndSummarisesHistograms() throws Exception {
    start(StatsFormat.ENVOY);
    traffic();
    String stats = proxy.admin("GET", "/stats").body();
    int port = proxy.listener("listener_0").getPort();
    assertThat(stats)
        .contains(
            CLUSTER + "upstream_rq_503: 1\n",
            CLUSTER + "upstream_rq_200: 2\n",
            CLUSTER + "upstream_rq_2xx: 2\n",
            CLUSTER + "upstream_rq_5xx: 1\n",
            CLUSTER + "upstream_rq_total: 3\n",
            CLUSTER + "circuit_breakers.default.rq_open: 0\n",
            CLUSTER + "membership_total: 1\n",
            "http.ingress_http.downstream_rq_5xx: 1\n",
            "http.ingress_http.downstream_rq_total: 3\n",
            "listener.127.0.0.1_" + port + ".downstream_cx_total: 1\n",
            "server.live: 1\n")
        .containsPattern(
            "(?m)^cluster\\.service_envoyproxy_io\\.upstream_rq_time: P0\\(nan,[0-9.]+\\)"
                + " P25\\(nan,[0-9.]+\\) .* P99\\.9\\(nan,[0-9.]+\\) P100\\(nan,[0-9.]+\\)$")
        .doesNotContain("upstream_cx_connect_timeout");
    // Histograms come after every counter and gauge, as in Envoy.
    assertThat(stats.indexOf(": P0(")).isGreaterThan(stats.indexOf("server.live"));
  }

  @Test
  void filterAndUsedOnly() throws Exception {
    start(StatsFormat.ENVOY);
    traffic();
    String used = proxy.admin("GET", "/stats?usedonly&filter=%5Ecluster%5C.").body();
    assertThat(used.lines())
        .isNotEmpty()
        .allMatch(l -> l.startsWith(CLUSTER))
        .noneMatch(l -> l.endsWith(": 0"))
        .anyMatch(l -> l.equals(CLUSTER + "upstream_rq_503: 1"));
    assertThat(proxy.admin("GET", "/stats").body()).contains(CLUSTER + "upstream_rq_timeout: 0");
  }

  @Test
  void jsonIsEnvoysShape() throws Exception {
    start(StatsFormat.ENVOY);
    traffic();
    HttpResponse<String> r = proxy.admin("GET", "/stats?format=json");
    assertThat(r.headers().firstValue("content-type")).hasValue("application/json");
    JsonArray stats = JsonParser.parseString(r.body()).getAsJsonObject().getAsJsonArray("stats");
    JsonObject rq503 = null;
    JsonObject histograms = null;
    for (JsonElement e : stats) {
      JsonObject o = e.getAsJsonObject();
      if (o.has("histograms")) {
        histograms = o.getAsJsonObject("histograms");
      } else if (o.get("name").getAsString().equals(CLUSTER + "upstream_rq_503")) {
        rq503 = o;
      }
    }
    assertThat(rq503).isNotNull();
    assertThat(rq503.get("value").getAsLong()).isEqualTo(1);
    assertThat(histograms.getAsJsonArray("supported_quantiles").toString())
        .isEqualTo("[0,25,50,75,90,95,99,99.5,99.9,100]");
    JsonObject rqTime = null;
    for (JsonElement e : histograms.getAsJsonArray("computed_quantiles")) {
      if (e.getAsJsonObject().get("name").getAsString().equals(CLUSTER + "upstream_rq_time")) {
        rqTime = e.getAsJsonObject();
      }
    }
    JsonArray values = rqTime.getAsJsonArray("values");
    assertThat(values).hasSize(10);
    assertThat(values.get(9).getAsJsonObject().get("interval").isJsonNull()).isTrue();
    assertThat(values.get(9).getAsJsonObject().get("cumulative").getAsDouble()).isPositive();
  }

  @Test
  void prometheusIsEnvoysExposition() throws Exception {
    start(StatsFormat.ENVOY);
    traffic();
    String cluster = "envoy_cluster_name=\"service_envoyproxy_io\"";
    for (String path : new String[] {"/stats/prometheus", "/stats?format=prometheus"}) {
      assertThat(proxy.admin("GET", path).body())
          .contains(
              "envoy_cluster_upstream_rq{envoy_response_code=\"503\"," + cluster + "} 1\n",
              "envoy_cluster_upstream_rq_xx{envoy_response_code_class=\"5\"," + cluster + "} 1\n",
              "envoy_cluster_upstream_rq_total{" + cluster + "} 3\n",
              "envoy_cluster_circuit_breakers_default_rq_open{" + cluster + "} 0\n",
              "envoy_http_downstream_rq_xx{envoy_response_code_class=\"2\","
                  + "envoy_http_conn_manager_prefix=\"ingress_http\"} 2\n",
              "envoy_cluster_upstream_rq_time_count{" + cluster + "} 3\n",
              "envoy_server_live 1\n");
    }
    String filtered = proxy.admin("GET", "/stats/prometheus?usedonly&filter=upstream_rq_5").body();
    assertThat(filtered.lines().filter(l -> !l.startsWith("#")))
        .isNotEmpty()
        .allMatch(l -> l.startsWith("envoy_cluster_upstream_rq"));
  }

  @Test
  void idiomaticSwitchKeepsTodaysExposition() throws Exception {
    start(StatsFormat.IDIOMATIC);
    traffic();
    assertThat(proxy.admin("GET", "/stats/prometheus").body())
        .contains(
            "upstream_rq_total{cluster=\"service_envoyproxy_io\",response_code_class=\"5xx\"} 1.0\n",
            "downstream_rq_total{listener=\"listener_0\",response_code_class=\"2xx\","
                + "stat_prefix=\"ingress_http\"} 2.0\n")
        .contains("upstream_rq_time_seconds_bucket{cluster=\"service_envoyproxy_io\"")
        .doesNotContain("envoy_cluster_");
    // Envoy's admin API stays Envoy's.
    assertThat(proxy.admin("GET", "/stats?format=prometheus").body())
        .contains(
            "envoy_cluster_upstream_rq_total{envoy_cluster_name=\"service_envoyproxy_io\"} 3\n");
  }
}
