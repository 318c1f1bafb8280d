package io.outrigger.proxy.stats;

import static org.assertj.core.api.Assertions.assertThat;

import io.outrigger.api.model.ResourceLimitsConfig;
import io.outrigger.api.model.http.StringMatcher;
import io.outrigger.api.model.stats.StatsConfig;
import io.outrigger.api.model.stats.StatsMatcherConfig;
import io.outrigger.proxy.upstream.ResourceLimits;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The meters read as Envoy's Prometheus exposition. */
class EnvoyExpositionTest {
  private ProxyStats stats = new ProxyStats();

  @AfterEach
  void close() {
    stats.close();
  }

  private void traffic() {
    stats.scopes().listenerBound("ingress", new InetSocketAddress("127.0.0.1", 10000));
    HttpConnectionManagerStats http = stats.http("ingress", "ingress_http");
    http.connectionOpened();
    http.requestStarted();
    http.requestFinished(503, TimeUnit.MILLISECONDS.toNanos(30));
    stats.listener("ingress").connectionOpened();
    ClusterStats backend = stats.cluster("backend");
    backend.requestStarted();
    backend.requestFinished(503, TimeUnit.MILLISECONDS.toNanos(7));
    backend.requestStarted();
    backend.requestFinished(200, TimeUnit.MILLISECONDS.toNanos(120));
    backend.retry().retried(false);
    backend.membership(3, 2);
  }

  private static String line(String text, String prefix) {
    return text.lines().filter(l -> l.startsWith(prefix)).findFirst().orElse("(none: " + prefix);
  }

  @Test
  void clusterStatsAreEnvoysNamesWithEnvoysTags() {
    traffic();
    String out = stats.scrape();
    assertThat(out)
        .contains(
            "# TYPE envoy_cluster_upstream_rq_xx counter\n",
            "envoy_cluster_upstream_rq_xx{envoy_response_code_class=\"5\",envoy_cluster_name=\"backend\"} 1\n",
            "envoy_cluster_upstream_rq_xx{envoy_response_code_class=\"2\",envoy_cluster_name=\"backend\"} 1\n",
            "envoy_cluster_upstream_rq{envoy_response_code=\"503\",envoy_cluster_name=\"backend\"} 1\n",
            "envoy_cluster_upstream_rq_total{envoy_cluster_name=\"backend\"} 2\n",
            "envoy_cluster_upstream_rq_retry{envoy_cluster_name=\"backend\"} 1\n",
            "envoy_cluster_membership_total{envoy_cluster_name=\"backend\"} 3\n",
            "envoy_cluster_membership_healthy{envoy_cluster_name=\"backend\"} 2\n");
    assertThat(out).doesNotContain("upstream_rq_time_seconds", "upstream_rq_retry_total");
  }

  @Test
  void histogramsAreInMillisecondsOverEnvoysBuckets() {
    traffic();
    String out = stats.scrape();
    assertThat(out).contains("# TYPE envoy_cluster_upstream_rq_time histogram\n");
    String b = "envoy_cluster_upstream_rq_time_bucket{envoy_cluster_name=\"backend\",le=";
    assertThat(line(out, b + "\"5\"}")).endsWith(" 0");
    assertThat(line(out, b + "\"10\"}")).endsWith(" 1");
    assertThat(line(out, b + "\"100\"}")).endsWith(" 1");
    assertThat(line(out, b + "\"250\"}")).endsWith(" 2");
    assertThat(line(out, b + "\"3.6e+06\"}")).endsWith(" 2");
    assertThat(line(out, b + "\"+Inf\"}")).endsWith(" 2");
    assertThat(out)
        .contains(
            "envoy_cluster_upstream_rq_time_sum{envoy_cluster_name=\"backend\"} 127\n",
            "envoy_cluster_upstream_rq_time_count{envoy_cluster_name=\"backend\"} 2\n");
    assertThat(out.lines().filter(l -> l.startsWith(b)).count()).isEqualTo(20);
  }

  @Test
  void listenerAndConnectionManagerScopes() {
    traffic();
    String out = stats.scrape();
    assertThat(out)
        .contains(
            "envoy_listener_downstream_cx_total{envoy_listener_address=\"127.0.0.1_10000\"} 1\n",
            "envoy_http_downstream_cx_active{envoy_http_conn_manager_prefix=\"ingress_http\"} 1\n",
            "envoy_http_downstream_rq_total{envoy_http_conn_manager_prefix=\"ingress_http\"} 1\n",
            "envoy_http_downstream_rq_xx{envoy_response_code_class=\"5\",envoy_http_conn_manager_prefix=\"ingress_http\"} 1\n");
  }

  @Test
  void eachConnectionManagerStatPrefixIsItsOwnScope() {
    stats.scopes().listenerBound("inbound", new InetSocketAddress("127.0.0.1", 15006));
    HttpConnectionManagerStats a = stats.http("inbound", "ingress_a");
    HttpConnectionManagerStats b = stats.http("inbound", "ingress_b");
    a.connectionOpened();
    a.requestStarted();
    a.requestFinished(200, 1_000_000);
    b.connectionOpened();
    b.connectionOpened();
    b.requestStarted();
    b.requestFinished(503, 1_000_000);
    b.requestStarted();
    b.requestFinished(503, 1_000_000);
    String out = stats.scrape();
    assertThat(out)
        .contains(
            "envoy_http_downstream_rq_total{envoy_http_conn_manager_prefix=\"ingress_a\"} 1\n",
            "envoy_http_downstream_rq_total{envoy_http_conn_manager_prefix=\"ingress_b\"} 2\n",
            "envoy_http_downstream_rq_xx{envoy_response_code_class=\"2\",envoy_http_conn_manager_prefix=\"ingress_a\"} 1\n",
            "envoy_http_downstream_rq_xx{envoy_response_code_class=\"5\",envoy_http_conn_manager_prefix=\"ingress_a\"} 0\n",
            "envoy_http_downstream_rq_xx{envoy_response_code_class=\"5\",envoy_http_conn_manager_prefix=\"ingress_b\"} 2\n",
            "envoy_http_downstream_cx_total{envoy_http_conn_manager_prefix=\"ingress_a\"} 1\n",
            "envoy_http_downstream_cx_total{envoy_http_conn_manager_prefix=\"ingress_b\"} 2\n")
        .contains(
            "envoy_http_downstream_rq_time_count{envoy_http_conn_manager_prefix=\"ingress_b\"} 2\n")
        .doesNotContain("envoy_http_conn_manager_prefix=\"inbound\"");
    assertThat(stats.scrapeIdiomatic())
        .contains(
            "downstream_rq_total{listener=\"inbound\",response_code_class=\"5xx\",stat_prefix=\"ingress_b\"} 2.0\n",
            "downstream_rq_total{listener=\"inbound\",response_code_class=\"5xx\",stat_prefix=\"ingress_a\"} 0.0\n",
            "http_downstream_cx_total{listener=\"inbound\",stat_prefix=\"ingress_a\"} 1.0\n");
  }

  @Test
  void oneStatPrefixInTwoListenersIsOneScopeSummed() {
    stats.http("one", "shared").requestStarted();
    stats.http("two", "shared").requestStarted();
    stats.http("two", "shared").requestStarted();
    assertThat(stats.scrape())
        .contains("envoy_http_downstream_rq_total{envoy_http_conn_manager_prefix=\"shared\"} 3\n");
  }

  @Test
  void tcpProxyStatPrefixIsItsOwnScope() {
    stats.tcpProxy("inbound", "db").noHost();
    stats.tcpProxy("inbound", "cache").noHost();
    stats.tcpProxy("other", "cache").noHost();
    String out = stats.scrape();
    assertThat(out)
        .contains(
            "envoy_tcp_downstream_cx_no_route{envoy_tcp_prefix=\"db\"} 1\n",
            "envoy_tcp_downstream_cx_no_route{envoy_tcp_prefix=\"cache\"} 2\n");
    assertThat(stats.scrapeIdiomatic())
        .contains("downstream_cx_no_route_total{listener=\"inbound\",stat_prefix=\"db\"} 1.0\n");
  }

  @Test
  void ipv6ListenerAddressIsEnvoys() throws Exception {
    stats
        .scopes()
        .listenerBound("any6", new InetSocketAddress(java.net.InetAddress.getByName("::"), 15006));
    stats.listener("any6").connectionOpened();
    String out = stats.scrape();
    assertThat(out)
        .contains("envoy_listener_downstream_cx_total{envoy_listener_address=\"[__]_15006\"} 1\n");
    assertThat(stats.envoy().snapshot().stream().map(st -> st.name().name()))
        .contains("listener.[__]_15006.downstream_cx_total");
  }

  @Test
  void inspectorsAreEnvoysTopLevelStatsSummedOverListenersAndOriginalDstIsTheListeners() {
    stats.scopes().listenerBound("a", new InetSocketAddress("127.0.0.1", 15001));
    stats.scopes().listenerBound("b", new InetSocketAddress("127.0.0.1", 15006));
    stats.listenerFilters("a").sniFound.increment();
    stats.listenerFilters("b").sniFound.increment();
    stats.listenerFilters("b").tlsNotFound.increment();
    stats.listenerFilters("b").http2Found.increment();
    stats.listenerFilters("a").originalDstRestored.increment();
    String out = stats.scrape();
    assertThat(out)
        .contains(
            "# TYPE envoy_tls_inspector_sni_found counter\n",
            "envoy_tls_inspector_sni_found 2\n",
            "envoy_tls_inspector_tls_not_found 1\n",
            "envoy_tls_inspector_client_hello_too_large 0\n",
            "envoy_http_inspector_http2_found 1\n",
            "envoy_http_inspector_read_error 0\n",
            "envoy_listener_original_dst_restored{envoy_listener_address=\"127.0.0.1_15001\"} 1\n")
        .doesNotContain("envoy_listener_tls_inspector", "envoy_listener_http_inspector");
    assertThat(stats.envoy().snapshot().stream().map(st -> st.name().name()))
        .contains("tls_inspector.sni_found", "http_inspector.http11_found")
        .doesNotContain("listener.127.0.0.1_15001.tls_inspector.sni_found");
    assertThat(stats.scrapeIdiomatic())
        .contains(
            "tls_inspector_sni_found_total{listener=\"a\"} 1.0\n",
            "tls_inspector_sni_found_total{listener=\"b\"} 1.0\n",
            "original_dst_restored_total{listener=\"a\"} 1.0\n");
  }

  @Test
  void circuitBreakersAreUnderDefaultPriority() {
    ResourceLimits limits =
        new ResourceLimits(
            "backend", new ResourceLimitsConfig(1, 1, 0, 3, java.util.Optional.empty(), false));
    limits.registerGauges(stats.registry());
    String out = stats.scrape();
    assertThat(out)
        .contains(
            "envoy_cluster_circuit_breakers_default_rq_open{envoy_cluster_name=\"backend\"} 1\n",
            "envoy_cluster_circuit_breakers_default_cx_open{envoy_cluster_name=\"backend\"} 0\n");
  }

  @Test
  void serverStatsAndJvmMetersFollow() {
    stats.registerServer(() -> true, () -> 0, 2, () -> 0L);
    String out = stats.scrape();
    assertThat(out)
        .contains(
            "envoy_server_live 1\n",
            "envoy_server_state 0\n",
            "envoy_server_concurrency 2\n",
            "envoy_server_uptime 0\n",
            "# TYPE envoy_server_memory_allocated gauge\n")
        .containsPattern("(?m)^jvm_memory_used_bytes\\{");
  }

  @Test
  void idiomaticFormIsTodaysForm() {
    stats.close();
    stats = new ProxyStats(StatsConfig.DEFAULT, StatsFormat.IDIOMATIC, System::nanoTime);
    traffic();
    String out = stats.scrape();
    assertThat(out)
        .contains(
            "upstream_rq_total{cluster=\"backend\",response_code_class=\"5xx\"} 1.0\n",
            "upstream_rq_retry_total{cluster=\"backend\"} 1.0\n")
        .contains("upstream_rq_time_seconds_bucket{cluster=\"backend\"")
        .doesNotContain("envoy_cluster");
  }

  @Test
  void statsMatcherKeepsOnlyTheInclusionList() {
    stats.close();
    stats =
        new ProxyStats(
            new StatsConfig(
                List.of(),
                true,
                new StatsMatcherConfig(
                    StatsMatcherConfig.Mode.INCLUSION,
                    List.of(StringMatcher.prefix("cluster.backend.upstream_rq_")))),
            StatsFormat.ENVOY,
            System::nanoTime);
    traffic();
    String out = stats.scrape();
    assertThat(out).contains("envoy_cluster_upstream_rq_retry{envoy_cluster_name=\"backend\"} 1\n");
    assertThat(out).doesNotContain("envoy_cluster_membership", "envoy_http_", "envoy_listener_");
  }
}
