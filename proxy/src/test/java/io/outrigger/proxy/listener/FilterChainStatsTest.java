package io.outrigger.proxy.listener;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.gson.JsonElement;
import com.google.gson.JsonParser;
import io.outrigger.proxy.testkit.HttpUpstream;
import io.outrigger.proxy.testkit.SidecarFixture;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A listener whose two filter chains each have a connection manager: each counts under its own
 * {@code http.<stat_prefix>.}, as in Envoy, and the listener filter that chose the chain counts
 * under Envoy's {@code http_inspector.}.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FilterChainStatsTest {
  private static final String BOOTSTRAP =
      """
      admin:
        address: { socket_address: { address: 127.0.0.1, port_value: 0 } }
      static_resources:
        listeners:
        - name: inbound
          address: { socket_address: { address: 127.0.0.1, port_value: 0 } }
          listener_filters:
          - name: envoy.filters.listener.http_inspector
            typed_config:
              "@type": type.googleapis.com/envoy.extensions.filters.listener.http_inspector.v3.HttpInspector
          filter_chains:
          - filter_chain_match: { application_protocols: [http/1.0] }
            filters:
            - name: envoy.filters.network.http_connection_manager
              typed_config:
                "@type": type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager
                stat_prefix: ingress_a
                route_config:
                  virtual_hosts:
                  - name: all
                    domains: ["*"]
                    routes:
                    - match: { prefix: / }
                      route: { cluster: web }
                http_filters:
                - name: envoy.filters.http.router
                  typed_config:
                    "@type": type.googleapis.com/envoy.extensions.filters.http.router.v3.Router
          - filter_chain_match: { application_protocols: [http/1.1] }
            filters:
            - name: envoy.filters.network.http_connection_manager
              typed_config:
                "@type": type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager
                stat_prefix: ingress_b
                route_config:
                  virtual_hosts:
                  - name: all
                    domains: ["*"]
                    routes:
                    - match: { prefix: / }
                      route: { cluster: web }
                http_filters:
                - name: envoy.filters.http.router
                  typed_config:
                    "@type": type.googleapis.com/envoy.extensions.filters.http.router.v3.Router
        clusters:
        - name: web
          connect_timeout: 1s
          load_assignment:
            cluster_name: web
            endpoints:
            - lb_endpoints:
              - endpoint:
                  address:
                    socket_address:
                      address: 127.0.0.1
                      port_value: ${WEB}
      """;

  /** Sends {@code request} on a new connection and reads the answer to its end. */
  private static String exchange(InetSocketAddress to, String request) throws IOException {
    try (Socket s = new Socket(to.getAddress(), to.getPort())) {
      s.setSoTimeout(10_000);
      s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
      return new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
    }
  }

  /** {@code /stats} as name → value, counters and gauges only. */
  private static Map<String, String> stats(SidecarFixture proxy, String query) throws Exception {
    Map<String, String> out = new HashMap<>();
    for (String line : proxy.admin("GET", "/stats" + query).body().split("\n")) {
      int colon = line.lastIndexOf(": ");
      if (colon > 0 && !line.contains(" P0(") && !line.endsWith("No recorded values")) {
        out.put(line.substring(0, colon), line.substring(colon + 2));
      }
    }
    return out;
  }

  @Test
  void eachChainsConnectionManagerCountsUnderItsOwnStatPrefix() throws Exception {
    try (HttpUpstream web = new HttpUpstream("web");
        SidecarFixture proxy =
            SidecarFixture.start(BOOTSTRAP, Map.of("WEB", String.valueOf(web.port())))) {
      InetSocketAddress l = proxy.listener("inbound");
      assertThat(exchange(l, "GET /a HTTP/1.0\r\nHost: w\r\n\r\n")).contains(" 200 ");
      for (int i = 0; i < 2; i++) {
        assertThat(exchange(l, "GET /b HTTP/1.1\r\nHost: w\r\nConnection: close\r\n\r\n"))
            .startsWith("HTTP/1.1 200 ");
      }
      String listener = "listener.127.0.0.1_" + l.getPort() + ".";

      await()
          .atMost(Duration.ofSeconds(5))
          .untilAsserted(
              () ->
                  assertThat(stats(proxy, ""))
                      .containsEntry("http.ingress_a.downstream_rq_total", "1")
                      .containsEntry("http.ingress_b.downstream_rq_total", "2")
                      .containsEntry("http.ingress_a.downstream_rq_2xx", "1")
                      .containsEntry("http.ingress_b.downstream_rq_2xx", "2")
                      .containsEntry("http.ingress_a.downstream_cx_total", "1")
                      .containsEntry("http.ingress_b.downstream_cx_total", "2")
                      .containsEntry("http.ingress_a.downstream_cx_destroy", "1")
                      .containsEntry("http.ingress_b.downstream_cx_destroy", "2")
                      .containsEntry("http.ingress_b.downstream_cx_active", "0")
                      .containsEntry(listener + "downstream_cx_total", "3")
                      .containsEntry("http_inspector.http10_found", "1")
                      .containsEntry("http_inspector.http11_found", "2")
                      .containsEntry("http_inspector.http_not_found", "0")
                      .doesNotContainKey("http.inbound.downstream_rq_total")
                      .doesNotContainKey(listener + "http_inspector.http11_found"));

      String prometheus = proxy.admin("GET", "/stats/prometheus").body();
      assertThat(prometheus)
          .contains(
              "envoy_http_downstream_rq_total{envoy_http_conn_manager_prefix=\"ingress_a\"} 1\n",
              "envoy_http_downstream_rq_total{envoy_http_conn_manager_prefix=\"ingress_b\"} 2\n",
              "envoy_http_downstream_rq_xx{envoy_response_code_class=\"2\","
                  + "envoy_http_conn_manager_prefix=\"ingress_a\"} 1\n",
              "envoy_http_downstream_cx_total{envoy_http_conn_manager_prefix=\"ingress_b\"} 2\n",
              "envoy_http_downstream_rq_time_count{envoy_http_conn_manager_prefix=\"ingress_b\"} 2\n",
              "# TYPE envoy_http_inspector_http11_found counter\n",
              "envoy_http_inspector_http11_found 2\n",
              "envoy_http_inspector_http10_found 1\n");

      Map<String, String> used = stats(proxy, "?usedonly");
      assertThat(used)
          .containsEntry("http.ingress_a.downstream_rq_total", "1")
          .doesNotContainKey("http_inspector.http_not_found")
          .doesNotContainValue("0");

      long fromJson = -1;
      for (JsonElement e :
          JsonParser.parseString(proxy.admin("GET", "/stats?format=json").body())
              .getAsJsonObject()
              .getAsJsonArray("stats")) {
        var o = e.getAsJsonObject();
        if (o.has("name")
            && o.get("name").getAsString().equals("http.ingress_b.downstream_rq_2xx")) {
          fromJson = o.get("value").getAsLong();
        }
      }
      assertThat(fromJson).isEqualTo(2);
    }
  }
}
