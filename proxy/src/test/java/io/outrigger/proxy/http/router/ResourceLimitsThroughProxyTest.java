package io.outrigger.proxy.http.router;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.outrigger.proxy.testkit.SidecarFixture;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The cluster's resource limits ({@code circuit_breakers}) under concurrent load: what is over a
 * limit is answered 503 at once with {@code x-envoy-overloaded} and a body that names the limit,
 * and what was admitted still succeeds.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ResourceLimitsThroughProxyTest {
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
                    - match: { prefix: /requests }
                      route: { cluster: requests }
                    - match: { prefix: /pending }
                      route: { cluster: pending }
                    - match: { prefix: /retries }
                      route:
                        cluster: retries
                        retry_policy: { retry_on: 5xx, num_retries: 3 }
                http_filters:
                - name: envoy.filters.http.router
                  typed_config:
                    "@type": type.googleapis.com/envoy.extensions.filters.http.router.v3.Router
        clusters:
        - name: requests
          connect_timeout: 1s
          circuit_breakers:
            thresholds: [ { max_requests: 10, track_remaining: true } ]
          load_assignment:
            cluster_name: requests
            endpoints:
            - lb_endpoints:
              - endpoint: { address: { socket_address: { address: 127.0.0.1, port_value: "${WM}" } } }
        - name: pending
          connect_timeout: 1s
          circuit_breakers:
            thresholds: [ { max_connections: 1, max_pending_requests: 2 } ]
          load_assignment:
            cluster_name: pending
            endpoints:
            - lb_endpoints:
              - endpoint: { address: { socket_address: { address: 127.0.0.1, port_value: "${WM}" } } }
        - name: retries
          connect_timeout: 1s
          circuit_breakers:
            thresholds: [ { max_retries: 0 } ]
          load_assignment:
            cluster_name: retries
            endpoints:
            - lb_endpoints:
              - endpoint: { address: { socket_address: { address: 127.0.0.1, port_value: "${WM}" } } }
      """;

  private static final HttpClient CLIENT =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  private static WireMockServer wm;
  private static SidecarFixture sidecar;

  @BeforeAll
  static void start() throws Exception {
    wm = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1").containerThreads(150));
    wm.start();
    sidecar = SidecarFixture.start(BOOTSTRAP, Map.of("WM", String.valueOf(wm.port())));
  }

  @AfterAll
  static void stop() {
    if (sidecar != null) {
      sidecar.close();
    }
    if (wm != null) {
      wm.stop();
    }
  }

  @BeforeEach
  void reset() {
    wm.resetAll();
  }

  /** A response and how long it took from its own send. */
  private record Timed(HttpResponse<String> response, Duration took) {}

  private static List<Timed> concurrently(String path, int n) {
    List<CompletableFuture<Timed>> all = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      HttpRequest req =
          HttpRequest.newBuilder(
                  URI.create("http://127.0.0.1:" + sidecar.listener("edge").getPort() + path))
              .timeout(Duration.ofSeconds(20))
              .build();
      long start = System.nanoTime();
      all.add(
          CLIENT
              .sendAsync(req, HttpResponse.BodyHandlers.ofString())
              .thenApply(r -> new Timed(r, Duration.ofNanos(System.nanoTime() - start))));
    }
    return all.stream().map(CompletableFuture::join).toList();
  }

  @Test
  void overMaxRequestsIsAnsweredAtOnceWhileTheAdmittedSucceed() throws Exception {
    wm.stubFor(any(urlPathEqualTo("/requests")).willReturn(aResponse().withFixedDelay(1_500)));
    double overflowBefore =
        sidecar.metric(
            "envoy_cluster_upstream_rq_pending_overflow{envoy_cluster_name=\"requests\"}");

    List<Timed> results = concurrently("/requests", 100);

    List<Timed> refused = results.stream().filter(t -> t.response().statusCode() == 503).toList();
    List<Timed> served = results.stream().filter(t -> t.response().statusCode() == 200).toList();
    assertThat(served.size() + refused.size()).isEqualTo(100);
    assertThat(served.size()).isGreaterThanOrEqualTo(10);
    assertThat(refused.size()).isGreaterThanOrEqualTo(50);
    assertThat(refused)
        .allSatisfy(
            t -> {
              assertThat(t.response().headers().firstValue("x-envoy-overloaded")).hasValue("true");
              assertThat(t.response().body())
                  .isEqualTo("upstream overflow: cluster requests max_requests=10\n");
              assertThat(t.took()).isLessThan(Duration.ofMillis(1_000)); // never waited upstream
            });
    assertThat(
            sidecar.metric(
                "envoy_cluster_upstream_rq_pending_overflow{envoy_cluster_name=\"requests\"}"))
        .isEqualTo(overflowBefore + refused.size());
    assertThat(
            sidecar.metric(
                "envoy_cluster_circuit_breakers_default_remaining_rq{envoy_cluster_name=\"requests\"}"))
        .isEqualTo(10);
  }

  @Test
  void requestsWaitForTheOneConnectionUpToMaxPendingRequests() {
    wm.stubFor(any(urlPathEqualTo("/pending")).willReturn(aResponse().withFixedDelay(300)));

    List<Timed> results = concurrently("/pending", 10);

    List<Timed> refused = results.stream().filter(t -> t.response().statusCode() == 503).toList();
    assertThat(results.stream().filter(t -> t.response().statusCode() == 200).count())
        .isBetween(3L, 9L);
    assertThat(refused).isNotEmpty();
    assertThat(refused)
        .allSatisfy(
            t ->
                assertThat(t.response().body())
                    .isEqualTo("upstream overflow: cluster pending max_pending_requests=2\n"));
  }

  @Test
  void aRetryOverMaxRetriesIsNotSentAndTheAnswerGoesBack() throws Exception {
    wm.stubFor(any(urlPathEqualTo("/retries")).willReturn(aResponse().withStatus(503)));
    double before =
        sidecar.metric("envoy_cluster_upstream_rq_retry_overflow{envoy_cluster_name=\"retries\"}");

    List<Timed> results = concurrently("/retries", 1);

    assertThat(results.get(0).response().statusCode()).isEqualTo(503);
    assertThat(wm.getAllServeEvents()).hasSize(1);
    assertThat(
            sidecar.metric(
                "envoy_cluster_upstream_rq_retry_overflow{envoy_cluster_name=\"retries\"}"))
        .isEqualTo(before + 1);
  }
}
