package io.outrigger.proxy.http.filters;

import static org.assertj.core.api.Assertions.assertThat;

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
 * Fault injection and local rate limiting through a real sidecar on loopback, configured from a
 * bootstrap with filter-level and per-route ({@code typed_per_filter_config}) settings.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FaultAndRateLimitEndToEndTest {
  private static final String BOOTSTRAP =
      """
      admin:
        address:
          socket_address: { address: 127.0.0.1, port_value: 0 }
      static_resources:
        listeners:
        - name: edge
          address:
            socket_address: { address: 127.0.0.1, port_value: 0 }
          filter_chains:
          - filters:
            - name: envoy.filters.network.http_connection_manager
              typed_config:
                "@type": type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager
                stat_prefix: edge
                route_config:
                  virtual_hosts:
                  - name: all
                    domains: ["*"]
                    routes:
                    - match: { prefix: /delay }
                      route: { cluster: backend }
                      typed_per_filter_config:
                        envoy.filters.http.fault:
                          "@type": type.googleapis.com/envoy.extensions.filters.http.fault.v3.HTTPFault
                          delay:
                            fixed_delay: 0.3s
                            percentage: { numerator: 100 }
                    - match: { prefix: /calm }
                      route: { cluster: backend }
                      typed_per_filter_config:
                        envoy.filters.http.fault:
                          "@type": type.googleapis.com/envoy.config.route.v3.FilterConfig
                          config:
                            "@type": type.googleapis.com/envoy.extensions.filters.http.fault.v3.HTTPFault
                    - match: { prefix: /limited }
                      route: { cluster: backend }
                      typed_per_filter_config:
                        envoy.filters.http.local_ratelimit:
                          "@type": type.googleapis.com/envoy.extensions.filters.http.local_ratelimit.v3.LocalRateLimit
                          stat_prefix: route_rl
                          token_bucket: { max_tokens: 2, fill_interval: 3600s }
                          filter_enabled: { default_value: { numerator: 100 }, runtime_key: rl_enabled }
                          filter_enforced: { default_value: { numerator: 100 }, runtime_key: rl_enforced }
                    - match: { prefix: / }
                      route: { cluster: backend }
                http_filters:
                - name: envoy.filters.http.fault
                  typed_config:
                    "@type": type.googleapis.com/envoy.extensions.filters.http.fault.v3.HTTPFault
                    abort:
                      http_status: 503
                      percentage: { numerator: 100 }
                    headers:
                    - name: x-chaos
                      string_match: { exact: abort }
                - name: envoy.filters.http.local_ratelimit
                  typed_config:
                    "@type": type.googleapis.com/envoy.extensions.filters.http.local_ratelimit.v3.LocalRateLimit
                    stat_prefix: edge_rl
                    token_bucket: { max_tokens: 3, tokens_per_fill: 3, fill_interval: 3600s }
                    filter_enabled: { default_value: { numerator: 100 }, runtime_key: rl_enabled }
                    filter_enforced: { default_value: { numerator: 100 }, runtime_key: rl_enforced }
                    response_headers_to_add:
                    - header: { key: x-local-rate-limit, value: "true" }
                - name: envoy.filters.http.router
                  typed_config:
                    "@type": type.googleapis.com/envoy.extensions.filters.http.router.v3.Router
        clusters:
        - name: backend
          connect_timeout: 1s
          load_assignment:
            cluster_name: backend
            endpoints:
            - lb_endpoints:
              - endpoint:
                  address:
                    socket_address: { address: 127.0.0.1, port_value: "${PORT}" }
      """;

  private final HttpClient client =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();
  private HttpUpstream upstream;
  private SidecarFixture sidecar;

  @BeforeEach
  void start() throws Exception {
    upstream = new HttpUpstream("backend");
    sidecar = SidecarFixture.start(BOOTSTRAP, Map.of("PORT", String.valueOf(upstream.port())));
  }

  @AfterEach
  void stop() {
    if (sidecar != null) {
      sidecar.close();
    }
    upstream.close();
  }

  private HttpResponse<String> get(String path, String... headers) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + sidecar.listener("edge").getPort() + path))
            .timeout(Duration.ofSeconds(10));
    if (headers.length > 0) {
      b.headers(headers);
    }
    return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void abortAnswers503WithEnvoysBodyWhenTheHeadersMatch() throws Exception {
    HttpResponse<String> aborted = get("/orders", "x-chaos", "abort");
    HttpResponse<String> passed = get("/orders", "x-chaos", "no");

    assertThat(aborted.statusCode()).isEqualTo(503);
    assertThat(aborted.body()).isEqualTo("fault filter abort\n");
    assertThat(passed.statusCode()).isEqualTo(200);
    assertThat(passed.body()).isEqualTo("hello from backend");
    assertThat(upstream.seen()).hasSize(1);
    assertThat(
            sidecar.metric(
                "envoy_http_fault_aborts_injected{envoy_http_conn_manager_prefix=\"edge\"}"))
        .isEqualTo(1);
  }

  @Test
  void perRouteDelayHoldsTheRequestThenForwardsIt() throws Exception {
    long start = System.nanoTime();
    HttpResponse<String> r = get("/delay/x");
    long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(elapsedMillis).isGreaterThanOrEqualTo(300);
    assertThat(upstream.seen()).hasSize(1);
    assertThat(
            sidecar.metric(
                "envoy_http_fault_delays_injected{envoy_http_conn_manager_prefix=\"edge\"}"))
        .isEqualTo(1);
    assertThat(
            sidecar.metric(
                "envoy_http_fault_active_faults{envoy_http_conn_manager_prefix=\"edge\"}"))
        .isZero();
  }

  @Test
  void perRouteOverrideWithoutFaultsDisablesTheAbortOnThatRoute() throws Exception {
    HttpResponse<String> calm = get("/calm", "x-chaos", "abort");
    HttpResponse<String> elsewhere = get("/other", "x-chaos", "abort");

    assertThat(calm.statusCode()).isEqualTo(200);
    assertThat(elsewhere.statusCode()).isEqualTo(503);
  }

  @Test
  void filterLevelBucketAnswers429AfterMaxTokensWithinAFillInterval() throws Exception {
    for (int i = 0; i < 3; i++) {
      assertThat(get("/any").statusCode()).isEqualTo(200);
    }
    HttpResponse<String> limited = get("/any");

    assertThat(limited.statusCode()).isEqualTo(429);
    assertThat(limited.body()).isEqualTo("local_rate_limited\n");
    assertThat(limited.headers().firstValue("x-local-rate-limit")).contains("true");
    assertThat(upstream.seen()).hasSize(3);
    assertThat(
            sidecar.metric(
                "envoy_http_local_rate_limit_rate_limited{envoy_local_http_ratelimit_prefix=\"edge_rl\"}"))
        .isEqualTo(1);
    assertThat(
            sidecar.metric(
                "envoy_http_local_rate_limit_ok{envoy_local_http_ratelimit_prefix=\"edge_rl\"}"))
        .isEqualTo(3);
  }

  @Test
  void perRouteBucketLimitsItsRouteOnlyAndKeepsItsOwnStatistics() throws Exception {
    assertThat(get("/limited").statusCode()).isEqualTo(200);
    assertThat(get("/limited").statusCode()).isEqualTo(200);
    HttpResponse<String> limited = get("/limited");
    HttpResponse<String> elsewhere = get("/any");

    assertThat(limited.statusCode()).isEqualTo(429);
    assertThat(limited.headers().firstValue("x-local-rate-limit"))
        .as("the route's config has no response_headers_to_add")
        .isEmpty();
    assertThat(elsewhere.statusCode()).isEqualTo(200);
    assertThat(
            sidecar.metric(
                "envoy_http_local_rate_limit_enforced{envoy_local_http_ratelimit_prefix=\"route_rl\"}"))
        .isEqualTo(1);
    assertThat(
            sidecar.metric(
                "envoy_http_local_rate_limit_ok{envoy_local_http_ratelimit_prefix=\"edge_rl\"}"))
        .isEqualTo(1);
  }
}
