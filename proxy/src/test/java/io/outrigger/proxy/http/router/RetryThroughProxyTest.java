package io.outrigger.proxy.http.router;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.ok;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.outrigger.proxy.testkit.SidecarFixture;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The router's retry policy against WireMock upstreams that fail in each way WireMock can: every
 * {@code retry_on} condition, the per-try timeout, hedging, the replay buffer, the rate-limited
 * back-off, the previous-hosts predicate and the request headers that steer retries.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RetryThroughProxyTest {
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
                    include_request_attempt_count: true
                    retry_policy:
                      retry_on: 5xx
                      num_retries: 2
                      retry_back_off: { base_interval: 0.001s, max_interval: 0.002s }
                    routes:
                    - match: { prefix: /gateway }
                      route:
                        cluster: wm
                        retry_policy:
                          retry_on: gateway-error
                          retry_back_off: { base_interval: 0.001s }
                    - match: { prefix: /reset }
                      route:
                        cluster: wm
                        retry_policy:
                          retry_on: reset
                          num_retries: 2
                          retry_back_off: { base_interval: 0.001s }
                    - match: { prefix: /codes }
                      route:
                        cluster: wm
                        retry_policy:
                          retry_on: retriable-status-codes,retriable-4xx
                          retriable_status_codes: [418]
                          num_retries: 3
                          retry_back_off: { base_interval: 0.001s }
                    - match: { prefix: /headers }
                      route:
                        cluster: wm
                        retry_policy:
                          retry_on: retriable-headers
                          retriable_headers: [ { name: x-try-again, present_match: true } ]
                          retry_back_off: { base_interval: 0.001s }
                    - match: { prefix: /grpc }
                      route:
                        cluster: wm
                        retry_policy:
                          retry_on: unavailable,resource-exhausted
                          retry_back_off: { base_interval: 0.001s }
                    - match: { prefix: /pertry }
                      route:
                        cluster: wm
                        retry_policy:
                          retry_on: 5xx
                          per_try_timeout: 0.3s
                          retry_back_off: { base_interval: 0.001s }
                    - match: { prefix: /hedge }
                      route:
                        cluster: wm
                        retry_policy:
                          retry_on: 5xx
                          per_try_timeout: 0.2s
                        hedge_policy: { hedge_on_per_try_timeout: true }
                    - match: { prefix: /idle }
                      route:
                        cluster: wm
                        retry_policy:
                          retry_on: reset
                          per_try_idle_timeout: 0.3s
                          retry_back_off: { base_interval: 0.001s }
                    - match: { prefix: /h2 }
                      route:
                        cluster: wm2
                        retry_policy:
                          retry_on: 5xx
                          num_retries: 2
                          retry_back_off: { base_interval: 0.001s }
                    - match: { prefix: /ratelimited }
                      route:
                        cluster: wm
                        retry_policy:
                          retry_on: retriable-status-codes
                          retriable_status_codes: [429]
                          rate_limited_retry_back_off:
                            reset_headers: [ { name: retry-after } ]
                            max_interval: 0.6s
                    - match: { prefix: /small }
                      per_request_buffer_limit_bytes: 16
                      route: { cluster: wm }
                    - match: { prefix: /plain }
                      route:
                        cluster: wm
                        retry_policy: { retry_on: "" }
                    - match: { prefix: /pair }
                      route:
                        cluster: pair
                        retry_policy:
                          retry_on: connect-failure
                          num_retries: 1
                          retry_host_predicate:
                          - name: envoy.retry_host_predicates.previous_hosts
                          host_selection_retry_max_attempts: 30
                          retry_back_off: { base_interval: 0.001s }
                    - match: { prefix: / }
                      route: { cluster: wm }
                http_filters:
                - name: envoy.filters.http.router
                  typed_config:
                    "@type": type.googleapis.com/envoy.extensions.filters.http.router.v3.Router
        clusters:
        - name: wm
          connect_timeout: 1s
          load_assignment:
            cluster_name: wm
            endpoints:
            - lb_endpoints:
              - endpoint:
                  address:
                    socket_address: { address: 127.0.0.1, port_value: "${WM}" }
        - name: wm2
          connect_timeout: 1s
          typed_extension_protocol_options:
            envoy.extensions.upstreams.http.v3.HttpProtocolOptions:
              "@type": type.googleapis.com/envoy.extensions.upstreams.http.v3.HttpProtocolOptions
              explicit_http_config:
                http2_protocol_options: {}
          load_assignment:
            cluster_name: wm2
            endpoints:
            - lb_endpoints:
              - endpoint:
                  address:
                    socket_address: { address: 127.0.0.1, port_value: "${WM}" }
        - name: pair
          connect_timeout: 1s
          lb_policy: RANDOM
          load_assignment:
            cluster_name: pair
            endpoints:
            - lb_endpoints:
              - endpoint:
                  address:
                    socket_address: { address: 127.0.0.1, port_value: "${DEAD}" }
              - endpoint:
                  address:
                    socket_address: { address: 127.0.0.1, port_value: "${WM}" }
      """;

  private static final HttpClient CLIENT =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  private static WireMockServer wm;
  private static SidecarFixture sidecar;

  @BeforeAll
  static void start() throws Exception {
    wm = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
    wm.start();
    int dead;
    try (ServerSocket s = new ServerSocket(0)) {
      dead = s.getLocalPort(); // closed again: connections to it are refused
    }
    sidecar =
        SidecarFixture.start(
            BOOTSTRAP, Map.of("WM", String.valueOf(wm.port()), "DEAD", String.valueOf(dead)));
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

  private static HttpResponse<String> get(String path, String... headers) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + sidecar.listener("edge").getPort() + path))
            .timeout(Duration.ofSeconds(10));
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** The upstream answers {@code failure} {@code n} times, then 200 with {@code body}. */
  private static void failThenSucceed(
      String path, int n, ResponseDefinitionBuilder failure, String body) {
    String state = STARTED;
    for (int i = 0; i < n; i++) {
      String next = "failed-" + (i + 1);
      wm.stubFor(
          any(urlPathEqualTo(path))
              .inScenario(path)
              .whenScenarioStateIs(state)
              .willReturn(failure)
              .willSetStateTo(next));
      state = next;
    }
    wm.stubFor(
        any(urlPathEqualTo(path)).inScenario(path).whenScenarioStateIs(state).willReturn(ok(body)));
  }

  private static List<LoggedRequest> requests() {
    return wm.findAll(anyRequestedFor(com.github.tomakehurst.wiremock.client.WireMock.anyUrl()));
  }

  private static double retries() throws Exception {
    return sidecar.metric("envoy_cluster_upstream_rq_retry{envoy_cluster_name=\"wm\"}");
  }

  private static double metricOrZero(String sample) throws Exception {
    try {
      return sidecar.metric(sample);
    } catch (AssertionError absentUntilTheFirst503) {
      return 0;
    }
  }

  @Test
  void retries5xxUntilTheUpstreamSucceedsAndCountsEachAttempt() throws Exception {
    failThenSucceed("/five", 2, aResponse().withStatus(503), "third time");
    double before = retries();
    String rq503 =
        "envoy_cluster_upstream_rq{envoy_response_code=\"503\",envoy_cluster_name=\"wm\"}";
    double answered503 = metricOrZero(rq503);

    HttpResponse<String> r = get("/five");

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("third time");
    assertThat(requests()).hasSize(3);
    assertThat(retries() - before).isEqualTo(2);
    // Each retried answer is counted by its code, as Envoy charges it.
    assertThat(sidecar.metric(rq503) - answered503).isEqualTo(2);
    assertThat(requests().stream().map(q -> q.getHeader("x-envoy-attempt-count")))
        .containsExactlyInAnyOrder("1", "2", "3");
  }

  @Test
  void givesUpAfterNumRetriesAndForwardsTheLastAnswer() throws Exception {
    failThenSucceed("/five", 5, aResponse().withStatus(500).withBody("still broken"), "never");
    double exceeded =
        sidecar.metric("envoy_cluster_upstream_rq_retry_limit_exceeded{envoy_cluster_name=\"wm\"}");

    HttpResponse<String> r = get("/five");

    assertThat(r.statusCode()).isEqualTo(500);
    assertThat(r.body()).isEqualTo("still broken");
    assertThat(requests()).hasSize(3); // the first try and num_retries: 2
    assertThat(
            sidecar.metric(
                "envoy_cluster_upstream_rq_retry_limit_exceeded{envoy_cluster_name=\"wm\"}"))
        .isEqualTo(exceeded + 1);
  }

  @Test
  void gatewayErrorRetries502To504ButNot500() throws Exception {
    failThenSucceed("/gateway/a", 1, aResponse().withStatus(502), "after 502");
    failThenSucceed("/gateway/b", 1, aResponse().withStatus(500), "never");

    assertThat(get("/gateway/a").body()).isEqualTo("after 502");
    assertThat(get("/gateway/b").statusCode()).isEqualTo(500);
  }

  @ParameterizedTest
  @EnumSource(
      value = Fault.class,
      names = {"CONNECTION_RESET_BY_PEER", "EMPTY_RESPONSE", "RANDOM_DATA_THEN_CLOSE"})
  void resetRetriesEveryWayAnUpstreamCanFailBeforeAnswering(Fault fault) throws Exception {
    failThenSucceed("/reset/" + fault, 2, aResponse().withFault(fault), "recovered");

    HttpResponse<String> r = get("/reset/" + fault);

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("recovered");
  }

  @Test
  void aResetThatOutlastsTheRetriesIsA503UpstreamConnectionTermination() throws Exception {
    failThenSucceed("/reset/always", 3, aResponse().withFault(Fault.EMPTY_RESPONSE), "never");

    HttpResponse<String> r = get("/reset/always");

    assertThat(r.statusCode()).isEqualTo(503);
    assertThat(r.body()).contains("reset reason: connection termination");
  }

  @Test
  void aResponseThatBreaksAfterItStartedIsNotRetriedAndResetsTheDownstream() {
    wm.stubFor(
        any(urlPathEqualTo("/reset/chunk"))
            .willReturn(aResponse().withFault(Fault.MALFORMED_RESPONSE_CHUNK)));

    assertThatThrownBy(() -> get("/reset/chunk")).isInstanceOf(IOException.class);
    assertThat(requests()).hasSize(1);
  }

  @Test
  void retriableStatusCodesAndRetriable4xx() throws Exception {
    failThenSucceed("/codes/teapot", 1, aResponse().withStatus(418), "brewed");
    failThenSucceed("/codes/conflict", 1, aResponse().withStatus(409), "resolved");
    failThenSucceed("/codes/other", 1, aResponse().withStatus(404), "never");

    assertThat(get("/codes/teapot").body()).isEqualTo("brewed");
    assertThat(get("/codes/conflict").body()).isEqualTo("resolved");
    assertThat(get("/codes/other").statusCode()).isEqualTo(404);
  }

  @Test
  void retriableHeadersMatchTheResponseHeaders() throws Exception {
    failThenSucceed(
        "/headers", 1, aResponse().withStatus(200).withHeader("x-try-again", "1"), "second");

    assertThat(get("/headers").body()).isEqualTo("second");
  }

  @Test
  void grpcConditionsReadTheGrpcStatusHeader() throws Exception {
    failThenSucceed(
        "/grpc/unavailable",
        1,
        aResponse().withStatus(200).withHeader("grpc-status", "14"),
        "served");
    failThenSucceed(
        "/grpc/internal", 1, aResponse().withStatus(200).withHeader("grpc-status", "13"), "never");

    assertThat(get("/grpc/unavailable").body()).isEqualTo("served");
    assertThat(get("/grpc/internal").headers().firstValue("grpc-status")).hasValue("13");
  }

  @Test
  void anUpstreamThatSaysItIsOverloadedIsNotRetried() throws Exception {
    failThenSucceed(
        "/five", 1, aResponse().withStatus(503).withHeader("x-envoy-overloaded", "true"), "never");

    assertThat(get("/five").statusCode()).isEqualTo(503);
    assertThat(requests()).hasSize(1);
  }

  @Test
  void perTryTimeoutRetriesASlowAttempt() throws Exception {
    failThenSucceed("/pertry", 1, aResponse().withFixedDelay(3_000).withBody("slow"), "quick");
    double timeouts =
        sidecar.metric("envoy_cluster_upstream_rq_per_try_timeout{envoy_cluster_name=\"wm\"}");

    HttpResponse<String> r = get("/pertry");

    assertThat(r.body()).isEqualTo("quick");
    assertThat(
            sidecar.metric("envoy_cluster_upstream_rq_per_try_timeout{envoy_cluster_name=\"wm\"}"))
        .isEqualTo(timeouts + 1);
  }

  @Test
  void hedgingSendsASecondAttemptWithoutCancellingTheFirstAndTheFirstGoodAnswerWins()
      throws Exception {
    failThenSucceed("/hedge", 1, aResponse().withFixedDelay(1_500).withBody("slow"), "hedged");
    long start = System.nanoTime();

    HttpResponse<String> r = get("/hedge");

    assertThat(r.body()).isEqualTo("hedged");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(1_400));
    assertThat(requests()).hasSize(2);
  }

  @Test
  void rateLimitedBackOffWaitsAsRetryAfterSaysCappedAtItsMaxInterval() throws Exception {
    failThenSucceed(
        "/ratelimited",
        1,
        aResponse().withStatus(429).withHeader("Retry-After", "30"),
        "after waiting");
    long start = System.nanoTime();

    HttpResponse<String> r = get("/ratelimited");

    assertThat(r.body()).isEqualTo("after waiting");
    assertThat(Duration.ofNanos(System.nanoTime() - start))
        .isGreaterThanOrEqualTo(Duration.ofMillis(550)); // max_interval 0.6s, not 30s
    assertThat(
            sidecar.metric(
                "envoy_cluster_upstream_rq_retry_backoff_ratelimited{envoy_cluster_name=\"wm\"}"))
        .isGreaterThanOrEqualTo(1);
  }

  @Test
  void theRequestBodyIsReplayedOnEachAttempt() throws Exception {
    failThenSucceed("/five", 1, aResponse().withStatus(503), "stored");
    HttpRequest post =
        HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + sidecar.listener("edge").getPort() + "/five"))
            .POST(HttpRequest.BodyPublishers.ofString("payload-" + "x".repeat(5000)))
            .build();

    HttpResponse<String> r = CLIENT.send(post, HttpResponse.BodyHandlers.ofString());

    assertThat(r.body()).isEqualTo("stored");
    assertThat(requests()).hasSize(2);
    assertThat(requests())
        .allSatisfy(q -> assertThat(q.getBodyAsString()).isEqualTo("payload-" + "x".repeat(5000)));
  }

  @Test
  void aBodyLargerThanTheReplayBufferIsSentOnceAndNotRetried() throws Exception {
    failThenSucceed("/small", 1, aResponse().withStatus(503), "never");
    HttpRequest post =
        HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + sidecar.listener("edge").getPort() + "/small"))
            .POST(HttpRequest.BodyPublishers.ofString("a body longer than sixteen bytes"))
            .build();

    HttpResponse<String> r = CLIENT.send(post, HttpResponse.BodyHandlers.ofString());

    assertThat(r.statusCode()).isEqualTo(503);
    assertThat(requests()).hasSize(1);
    assertThat(requests().get(0).getBodyAsString()).isEqualTo("a body longer than sixteen bytes");
  }

  @Test
  void requestHeadersTurnRetriesOnAndAreNotForwarded() throws Exception {
    failThenSucceed("/plain", 3, aResponse().withStatus(500), "fourth");

    HttpResponse<String> r = get("/plain", "x-envoy-retry-on", "5xx", "x-envoy-max-retries", "3");

    assertThat(r.body()).isEqualTo("fourth");
    assertThat(requests()).hasSize(4);
    assertThat(requests())
        .allSatisfy(q -> assertThat(q.containsHeader("x-envoy-retry-on")).isFalse());
  }

  @Test
  void withoutAPolicyNothingIsRetried() throws Exception {
    failThenSucceed("/plain", 1, aResponse().withStatus(503), "never");

    assertThat(get("/plain").statusCode()).isEqualTo(503);
    assertThat(requests()).hasSize(1);
  }

  @Test
  void previousHostsSendsTheRetryToAnotherHostAfterAConnectFailure() throws Exception {
    // Random balancing over a dead and a live host with one retry: without the predicate about a
    // quarter of the requests would fail (dead, then dead again); with it, none does.
    wm.stubFor(any(urlPathEqualTo("/pair")).willReturn(ok("reached")));

    for (int i = 0; i < 30; i++) {
      HttpResponse<String> r = get("/pair");
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.body()).isEqualTo("reached");
    }
    double connectFailures =
        sidecar.metric("envoy_cluster_upstream_cx_connect_fail{envoy_cluster_name=\"pair\"}");
    assertThat(connectFailures).isPositive();
    assertThat(sidecar.metric("envoy_cluster_upstream_rq_retry{envoy_cluster_name=\"pair\"}"))
        .isEqualTo(connectFailures);
  }

  @Test
  void perTryIdleTimeoutEndsAnAttemptThatStopsSendingAndTheRetrySucceeds() throws Exception {
    failThenSucceed("/idle", 1, aResponse().withFixedDelay(3_000).withBody("stalled"), "moving");
    double idle =
        sidecar.metric("envoy_cluster_upstream_rq_per_try_idle_timeout{envoy_cluster_name=\"wm\"}");

    HttpResponse<String> r = get("/idle");

    assertThat(r.body()).isEqualTo("moving");
    assertThat(
            sidecar.metric(
                "envoy_cluster_upstream_rq_per_try_idle_timeout{envoy_cluster_name=\"wm\"}"))
        .isEqualTo(idle + 1);
  }

  @Test
  void retriesOverAnHttp2UpstreamResetTheDroppedStreamAndReuseTheConnection() throws Exception {
    failThenSucceed("/h2", 2, aResponse().withStatus(503), "over h2");
    double connections =
        sidecar.metric("envoy_cluster_upstream_cx_total{envoy_cluster_name=\"wm2\"}");

    HttpResponse<String> r = get("/h2");

    assertThat(r.body()).isEqualTo("over h2");
    assertThat(requests()).hasSize(3);
    assertThat(requests()).allSatisfy(q -> assertThat(q.getProtocol()).isEqualTo("HTTP/2.0"));
    assertThat(
            sidecar.metric("envoy_cluster_upstream_cx_total{envoy_cluster_name=\"wm2\"}")
                - connections)
        .isLessThanOrEqualTo(1);
  }

  @Test
  void anHttp2UpstreamsStreamIdHeaderDoesNotReachTheClient() throws Exception {
    wm.stubFor(any(urlPathEqualTo("/h2-headers")).willReturn(ok("plain")));

    HttpResponse<String> r = get("/h2-headers");

    assertThat(r.body()).isEqualTo("plain");
    assertThat(requests())
        .singleElement()
        .satisfies(q -> assertThat(q.getProtocol()).isEqualTo("HTTP/2.0"));
    // Netty's HTTP/2-to-HTTP/1.1 conversion adds x-http2-stream-id to every upstream response.
    assertThat(r.headers().map()).doesNotContainKey("x-http2-stream-id");
  }
}
