package io.outrigger.api.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.outrigger.api.model.http.ClusterRoute;
import io.outrigger.api.model.http.RetryOn;
import io.outrigger.api.model.http.RetryPolicy;
import io.outrigger.api.model.http.RouteRetry;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RetryPolicyTranslatorTest {
  private static final String PATH = "rc";

  private static RouteConfiguration parse(String json) throws InvalidProtocolBufferException {
    RouteConfiguration.Builder b = RouteConfiguration.newBuilder();
    JsonFormat.parser().merge(json, b);
    return b.build();
  }

  private static RouteRetry retryOf(String json, int route) throws Exception {
    ClusterRoute r =
        (ClusterRoute)
            RouteConfigTranslator.translate(parse(json), PATH)
                .virtualHosts()
                .get(0)
                .routes()
                .get(route)
                .action();
    return r.retry();
  }

  @Test
  void translatesEveryRetryPolicyField() throws Exception {
    RouteRetry retry =
        retryOf(
            """
            {"virtual_hosts": [{"name": "vh", "domains": ["*"], "routes": [
              {"match": {"prefix": "/"}, "route": {"cluster": "svc",
                "retry_policy": {
                  "retry_on": "5xx, connect-failure,retriable-status-codes,unavailable",
                  "num_retries": 4,
                  "per_try_timeout": "0.5s",
                  "per_try_idle_timeout": "0.2s",
                  "retry_back_off": {"base_interval": "0.01s", "max_interval": "0.05s"},
                  "retriable_status_codes": [418],
                  "retriable_headers": [{"name": "x-retry", "present_match": true}],
                  "retry_host_predicate": [{"name": "envoy.retry_host_predicates.previous_hosts"}],
                  "host_selection_retry_max_attempts": 3,
                  "rate_limited_retry_back_off": {
                    "reset_headers": [{"name": "Retry-After"}], "max_interval": "2s"}},
                "hedge_policy": {"hedge_on_per_try_timeout": true}},
               "per_request_buffer_limit_bytes": 4096}]}]}
            """,
            0);

    RetryPolicy p = retry.policy();
    assertThat(p.retryOn())
        .containsExactlyInAnyOrder(
            RetryOn.FIVE_XX,
            RetryOn.CONNECT_FAILURE,
            RetryOn.RETRIABLE_STATUS_CODES,
            RetryOn.UNAVAILABLE);
    assertThat(p.numRetries()).isEqualTo(4);
    assertThat(p.perTryTimeout()).isEqualTo(Duration.ofMillis(500));
    assertThat(p.perTryIdleTimeout()).isEqualTo(Duration.ofMillis(200));
    assertThat(p.baseInterval()).isEqualTo(Duration.ofMillis(10));
    assertThat(p.maxInterval()).isEqualTo(Duration.ofMillis(50));
    assertThat(p.retriableStatusCodes()).isEqualTo(Set.of(418));
    assertThat(p.retriableHeaders()).hasSize(1);
    assertThat(p.previousHosts()).isTrue();
    assertThat(p.hostSelectionMaxAttempts()).isEqualTo(3);
    assertThat(p.rateLimitedBackOff().orElseThrow().resetHeaders().get(0).name())
        .isEqualTo("retry-after");
    assertThat(p.rateLimitedBackOff().orElseThrow().maxInterval()).isEqualTo(Duration.ofSeconds(2));
    assertThat(retry.hedgeOnPerTryTimeout()).isTrue();
    assertThat(retry.bufferLimitBytes()).isEqualTo(4096);
  }

  @Test
  void fillsEnvoyDefaultsAndTheVirtualHostsSettingsWhereTheRouteSetsNone() throws Exception {
    String json =
        """
        {"virtual_hosts": [{"name": "vh", "domains": ["*"],
          "retry_policy": {"retry_on": "gateway-error"},
          "per_request_buffer_limit_bytes": 2048,
          "include_request_attempt_count": true,
          "routes": [
            {"match": {"prefix": "/own"}, "route": {"cluster": "svc",
              "retry_policy": {"retry_on": "reset", "num_retries": 2}}},
            {"match": {"prefix": "/"}, "route": {"cluster": "svc"}}]}]}
        """;

    RouteRetry own = retryOf(json, 0);
    RouteRetry inherited = retryOf(json, 1);

    assertThat(own.policy().retryOn()).containsExactly(RetryOn.RESET);
    assertThat(own.policy().numRetries()).isEqualTo(2);
    assertThat(inherited.policy().retryOn()).containsExactly(RetryOn.GATEWAY_ERROR);
    assertThat(inherited.policy().numRetries()).isEqualTo(1);
    assertThat(inherited.policy().baseInterval()).isEqualTo(Duration.ofMillis(25));
    assertThat(inherited.policy().maxInterval()).isEqualTo(Duration.ofMillis(250));
    assertThat(inherited.policy().hostSelectionMaxAttempts()).isEqualTo(1);
    assertThat(inherited.bufferLimitBytes()).isEqualTo(2048);
    assertThat(inherited.includeAttemptCount()).isTrue();
    assertThat(inherited.hedgeOnPerTryTimeout()).isFalse();
  }

  @Test
  void aRouteWithoutAnyPolicyHasTheDefaults() throws Exception {
    RouteRetry retry =
        retryOf(
            """
            {"virtual_hosts": [{"name": "vh", "domains": ["*"], "routes": [
              {"match": {"prefix": "/"}, "route": {"cluster": "svc"}}]}]}
            """,
            0);

    assertThat(retry).isEqualTo(RouteRetry.DEFAULT);
    assertThat(retry.bufferLimitBytes()).isEqualTo(1024 * 1024);
  }

  @Test
  void refusesWhatItCannotHonourNamingTheField() {
    assertThatThrownBy(
            () ->
                retryOf(
                    """
                    {"virtual_hosts": [{"name": "vh", "domains": ["*"], "routes": [
                      {"match": {"prefix": "/"}, "route": {"cluster": "svc", "retry_policy": {
                        "retry_back_off": {"base_interval": "1s", "max_interval": "0.5s"}}}}]}]}
                    """,
                    0))
        .hasMessageStartingWith(
            "rc.virtual_hosts[0].routes[0].route.retry_policy: retry_back_off.max_interval");
    assertThatThrownBy(
            () ->
                retryOf(
                    """
                    {"virtual_hosts": [{"name": "vh", "domains": ["*"], "routes": [
                      {"match": {"prefix": "/"}, "route": {"cluster": "svc",
                        "hedge_policy": {"initial_requests": 2}}}]}]}
                    """,
                    0))
        .hasMessageStartingWith(
            "rc.virtual_hosts[0].routes[0].route.hedge_policy.initial_requests: 2 not supported");
    assertThatThrownBy(
            () ->
                retryOf(
                    """
                    {"virtual_hosts": [{"name": "vh", "domains": ["*"], "routes": [
                      {"match": {"prefix": "/"}, "route": {"cluster": "svc", "retry_policy": {
                        "retry_host_predicate": [{"name": "envoy.retry_host_predicates.canary"}]}}}]}]}
                    """,
                    0))
        .hasMessageStartingWith(
            "rc.virtual_hosts[0].routes[0].route.retry_policy.retry_host_predicate[0]:"
                + " \"envoy.retry_host_predicates.canary\" not supported");
    assertThatThrownBy(
            () ->
                retryOf(
                    """
                    {"virtual_hosts": [{"name": "vh", "domains": ["*"], "routes": [
                      {"match": {"prefix": "/"}, "route": {"cluster": "svc", "retry_policy": {
                        "retriable_request_headers": [{"name": "x"}]}}}]}]}
                    """,
                    0))
        .hasMessage(
            "rc.virtual_hosts[0].routes[0].route.retry_policy.retriable_request_headers: "
                + SupportedFieldsCheck.NOT_SUPPORTED);
  }
}
