package io.outrigger.proxy.admin;

import static io.outrigger.proxy.testkit.Bootstraps.endpoint;
import static io.outrigger.proxy.testkit.Bootstraps.tcpProxy;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.outrigger.proxy.testkit.SidecarFixture;
import io.outrigger.proxy.testkit.TcpUpstream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Every admin endpoint against a running sidecar. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class AdminServerTest {
  private TcpUpstream upstream;
  private SidecarFixture proxy;

  @BeforeEach
  void start() throws Exception {
    upstream = TcpUpstream.start(TcpUpstream.ECHO);
    proxy = SidecarFixture.start(tcpProxy("", "", endpoint(upstream.port())), Map.of());
  }

  @AfterEach
  void stop() throws Exception {
    proxy.close();
    upstream.close();
  }

  private void oneConnection() throws Exception {
    try (Socket s = new Socket("127.0.0.1", proxy.listener("ingress").getPort())) {
      s.getOutputStream().write(1);
      assertThat(s.getInputStream().read()).isEqualTo(1);
    }
  }

  @Test
  void readyIsLiveOnceListenersAreBound() throws Exception {
    HttpResponse<String> r = proxy.admin("GET", "/ready");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("LIVE\n");
  }

  @Test
  void prometheusShowsConnectionsAndBytesWithLabels() throws Exception {
    oneConnection();
    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(
            () -> {
              assertThat(proxy.listenerMetric("downstream_cx_total", "ingress")).isEqualTo(1);
              assertThat(proxy.listenerMetric("downstream_cx_active", "ingress")).isZero();
              assertThat(proxy.listenerMetric("downstream_cx_rx_bytes_total", "ingress"))
                  .isEqualTo(1);
              assertThat(
                      proxy.metric(
                          "envoy_cluster_upstream_cx_total{envoy_cluster_name=\"service\"}"))
                  .isEqualTo(1);
              assertThat(
                      proxy.metric(
                          "envoy_cluster_upstream_cx_active{envoy_cluster_name=\"service\"}"))
                  .isZero();
            });
    String body = proxy.admin("GET", "/stats/prometheus").body();
    assertThat(body)
        .contains("# TYPE envoy_listener_downstream_cx_total counter")
        .contains("envoy_cluster_upstream_cx_connect_fail{envoy_cluster_name=\"service\"} 0\n")
        .contains("envoy_cluster_upstream_cx_connect_timeout{envoy_cluster_name=\"service\"} 0\n")
        .contains("jvm_memory_used_bytes")
        .contains("jvm_gc_live_data_size_bytes")
        .contains("jvm_threads_live_threads");
  }

  @Test
  void statsListsScopedNamesAndFilters() throws Exception {
    oneConnection();
    String all = proxy.admin("GET", "/stats").body();
    int port = proxy.listener("ingress").getPort();
    assertThat(all)
        .contains("listener.127.0.0.1_" + port + ".downstream_cx_total: 1")
        .contains("cluster.service.upstream_cx_total: 1")
        .contains("cluster.service.circuit_breakers.default.rq_open: 0");
    String filtered = proxy.admin("GET", "/stats?filter=%5Ecluster%5C.").body();
    assertThat(filtered.lines()).isNotEmpty().allMatch(l -> l.startsWith("cluster."));
    assertThat(proxy.admin("GET", "/stats?filter=(").statusCode()).isEqualTo(400);
  }

  @Test
  void configDumpIsEnvoysConfigDump() throws Exception {
    HttpResponse<String> r = proxy.admin("GET", "/config_dump");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("content-type")).hasValue("application/json");
    JsonObject dump = JsonParser.parseString(r.body()).getAsJsonObject();
    var configs = dump.getAsJsonArray("configs");
    assertThat(configs).hasSize(6);
    assertThat(configs.get(3).getAsJsonObject().get("@type").getAsString())
        .isEqualTo("type.googleapis.com/envoy.admin.v3.RoutesConfigDump");
    assertThat(configs.get(5).getAsJsonObject().get("@type").getAsString())
        .isEqualTo("type.googleapis.com/envoy.admin.v3.SecretsConfigDump");
    assertThat(configs.get(0).getAsJsonObject().get("@type").getAsString())
        .isEqualTo("type.googleapis.com/envoy.admin.v3.BootstrapConfigDump");
    assertThat(r.body())
        .contains("\"stat_prefix\": \"ingress_tcp\"")
        .contains("\"port_value\": " + upstream.port())
        .contains("static_listeners")
        .contains("static_clusters");
  }

  @Test
  void clustersShowsHostsInTextAndJson() throws Exception {
    oneConnection();
    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(
            () ->
                assertThat(proxy.admin("GET", "/clusters").body())
                    .contains("service::127.0.0.1:" + upstream.port() + "::cx_total::1")
                    .contains("service::127.0.0.1:" + upstream.port() + "::cx_active::0")
                    .contains("service::127.0.0.1:" + upstream.port() + "::health_flags::healthy"));
    JsonObject json =
        JsonParser.parseString(proxy.admin("GET", "/clusters?format=json").body())
            .getAsJsonObject();
    JsonObject host =
        json.getAsJsonArray("cluster_statuses")
            .get(0)
            .getAsJsonObject()
            .getAsJsonArray("host_statuses")
            .get(0)
            .getAsJsonObject();
    assertThat(
            host.getAsJsonObject("address")
                .getAsJsonObject("socket_address")
                .get("port_value")
                .getAsInt())
        .isEqualTo(upstream.port());
  }

  @Test
  void loggingShowsAndChangesLevels() throws Exception {
    assertThat(proxy.admin("GET", "/logging").body()).contains("ROOT: info");
    HttpResponse<String> set = proxy.admin("POST", "/logging?io.outrigger.proxy.tcp=debug");
    assertThat(set.statusCode()).isEqualTo(200);
    assertThat(set.body()).contains("io.outrigger.proxy.tcp: debug");
    HttpResponse<String> bad = proxy.admin("POST", "/logging?level=loud");
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(bad.body()).contains("unknown level \"loud\"");
    assertThat(proxy.admin("POST", "/logging?level=info").body())
        .doesNotContain("io.outrigger.proxy.tcp");
  }

  @Test
  void wrongMethodIs405AndUnknownPathIs404() throws Exception {
    HttpResponse<String> r = proxy.admin("GET", "/quitquitquit");
    assertThat(r.statusCode()).isEqualTo(405);
    assertThat(r.body()).contains("/quitquitquit takes POST");
    assertThat(proxy.admin("GET", "/nope").statusCode()).isEqualTo(404);
    assertThat(proxy.admin("GET", "/").body())
        .contains("/config_dump")
        .contains("/drain_listeners");
  }

  @Test
  void drainListenersStopsAcceptingAndTurnsReadyOff() throws Exception {
    InetSocketAddress listener = proxy.listener("ingress");
    try (Socket open = new Socket("127.0.0.1", listener.getPort())) {
      open.getOutputStream().write(5);
      assertThat(open.getInputStream().read()).isEqualTo(5);
      assertThat(proxy.admin("POST", "/drain_listeners").statusCode()).isEqualTo(200);
      HttpResponse<String> ready = proxy.admin("GET", "/ready");
      assertThat(ready.statusCode()).isEqualTo(503);
      assertThat(ready.body()).isEqualTo("DRAINING\n");
      await()
          .atMost(Duration.ofSeconds(5))
          .untilAsserted(
              () ->
                  org.assertj.core.api.Assertions.assertThatThrownBy(
                          () -> new Socket("127.0.0.1", listener.getPort()).close())
                      .isInstanceOf(ConnectException.class));
      // The connection opened before the drain still works.
      open.getOutputStream().write(6);
      assertThat(open.getInputStream().read()).isEqualTo(6);
    }
  }

  @Test
  void quitQuitQuitAnswersThenStops() throws Exception {
    HttpResponse<String> r = proxy.admin("POST", "/quitquitquit");
    assertThat(r.statusCode()).isEqualTo(200);
    proxy.sidecar().terminated().get(10, TimeUnit.SECONDS);
    assertThat(proxy.sidecar().state()).isEqualTo(ServerState.TERMINATED);
  }
}
