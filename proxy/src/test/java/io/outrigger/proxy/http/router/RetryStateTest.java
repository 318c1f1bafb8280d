package io.outrigger.proxy.http.router;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.outrigger.api.model.ResourceLimitsConfig;
import io.outrigger.api.model.http.HeaderMatcher;
import io.outrigger.api.model.http.RetryOn;
import io.outrigger.api.model.http.RetryPolicy;
import io.outrigger.api.model.http.RouteRetry;
import io.outrigger.proxy.stats.ProxyStats;
import io.outrigger.proxy.upstream.ResourceLimits;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RetryStateTest {
  private final ProxyStats stats = new ProxyStats();

  private static RetryPolicy policy(Set<RetryOn> on, int retries) {
    return new RetryPolicy(
        on,
        retries,
        Duration.ZERO,
        Duration.ZERO,
        Duration.ofMillis(25),
        Duration.ofMillis(250),
        Set.of(418),
        List.of(HeaderMatcher.present("x-again")),
        false,
        1,
        Optional.of(
            new RetryPolicy.RateLimitedBackOff(
                List.of(
                    new RetryPolicy.ResetHeader("retry-after", false),
                    new RetryPolicy.ResetHeader("x-reset", true)),
                Duration.ofSeconds(10))));
  }

  private RetryState state(RetryPolicy p, HttpHeaders request, ResourceLimits limits) {
    return RetryState.create(
        new RouteRetry(p, false, 1024, false),
        request,
        limits,
        stats.cluster("c").retry(),
        new SplittableRandom(7));
  }

  private static ResourceLimits limits(int maxRetries) {
    return new ResourceLimits(
        "c", new ResourceLimitsConfig(10, 10, 10, maxRetries, Optional.empty(), false));
  }

  private static HttpResponse response(int status, String... headers) {
    HttpResponse r =
        new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status));
    for (int i = 0; i < headers.length; i += 2) {
      r.headers().add(headers[i], headers[i + 1]);
    }
    return r;
  }

  @Test
  void noConditionAndNoPerTryTimeoutMeansNoRetryState() {
    assertThat(state(RetryPolicy.NONE, new DefaultHttpHeaders(), limits(3))).isNull();
  }

  @Test
  void eachConditionRetriesWhatEnvoyRetries() {
    RetryState fiveXx =
        state(policy(Set.of(RetryOn.FIVE_XX), 1), new DefaultHttpHeaders(), limits(3));
    RetryState gateway =
        state(policy(Set.of(RetryOn.GATEWAY_ERROR), 1), new DefaultHttpHeaders(), limits(3));
    RetryState connect =
        state(policy(Set.of(RetryOn.CONNECT_FAILURE), 1), new DefaultHttpHeaders(), limits(3));
    RetryState codes =
        state(
            policy(Set.of(RetryOn.RETRIABLE_STATUS_CODES, RetryOn.RETRIABLE_HEADERS), 1),
            new DefaultHttpHeaders(),
            limits(3));
    RetryState grpc =
        state(
            policy(Set.of(RetryOn.DEADLINE_EXCEEDED, RetryOn.CANCELLED), 1),
            new DefaultHttpHeaders(),
            limits(3));

    assertThat(fiveXx.wouldRetry(response(500))).isTrue();
    assertThat(fiveXx.wouldRetry(response(404))).isFalse();
    assertThat(fiveXx.wouldRetry(AttemptFailure.RESET)).isTrue();
    assertThat(fiveXx.wouldRetry(AttemptFailure.OVERFLOW)).isFalse();
    assertThat(fiveXx.wouldRetry(response(503, "x-envoy-overloaded", "true"))).isFalse();
    assertThat(gateway.wouldRetry(response(504))).isTrue();
    assertThat(gateway.wouldRetry(response(501))).isFalse();
    assertThat(connect.wouldRetry(AttemptFailure.CONNECT_FAILURE)).isTrue();
    assertThat(connect.wouldRetry(AttemptFailure.RESET)).isFalse();
    assertThat(connect.wouldRetry(AttemptFailure.PER_TRY_TIMEOUT)).isFalse();
    assertThat(codes.wouldRetry(response(418))).isTrue();
    assertThat(codes.wouldRetry(response(200, "x-again", "yes"))).isTrue();
    assertThat(codes.wouldRetry(response(200))).isFalse();
    assertThat(grpc.wouldRetry(response(200, "grpc-status", "4"))).isTrue();
    assertThat(grpc.wouldRetry(response(200, "grpc-status", "1"))).isTrue();
    assertThat(grpc.wouldRetry(response(200, "grpc-status", "14"))).isFalse();
  }

  @Test
  void requestHeadersAddConditionsReplaceTheCountsAndAreRemoved() {
    HttpHeaders h = new DefaultHttpHeaders();
    h.set("x-envoy-retry-on", "gateway-error, unknown-thing");
    h.set("x-envoy-max-retries", "2");
    h.set("x-envoy-upstream-rq-per-try-timeout-ms", "150");
    h.set("x-envoy-retriable-status-codes", "429");
    RetryState s = state(policy(Set.of(RetryOn.RETRIABLE_STATUS_CODES), 5), h, limits(10));

    assertThat(s.wouldRetry(response(502))).isTrue();
    assertThat(s.wouldRetry(response(429))).isTrue();
    assertThat(s.perTryTimeout()).isEqualTo(Duration.ofMillis(150));
    assertThat(s.admit()).isEqualTo(RetryState.Admission.RETRY);
    assertThat(s.admit()).isEqualTo(RetryState.Admission.RETRY);
    assertThat(s.admit()).isEqualTo(RetryState.Admission.LIMIT_EXCEEDED);
    assertThat(h.isEmpty()).isTrue();
  }

  @Test
  void theClusterRetryLimitRefusesAndEachRequestHoldsOneSlotAtATime() {
    ResourceLimits limits = limits(1);
    RetryState a = state(policy(Set.of(RetryOn.FIVE_XX), 3), new DefaultHttpHeaders(), limits);
    RetryState b = state(policy(Set.of(RetryOn.FIVE_XX), 3), new DefaultHttpHeaders(), limits);

    assertThat(a.admit()).isEqualTo(RetryState.Admission.RETRY);
    assertThat(b.admit()).isEqualTo(RetryState.Admission.OVERFLOW);
    assertThat(a.admit()).isEqualTo(RetryState.Admission.RETRY); // moves its own slot
    a.release();
    assertThat(limits.inUse(ResourceLimits.Resource.RETRIES)).isZero();
    assertThat(b.admit()).isEqualTo(RetryState.Admission.RETRY);
    b.release();
  }

  @Test
  void rateLimitedBackOffReadsTheResetHeadersThenFallsBackToTheJitteredOne() {
    RetryState s = state(policy(Set.of(RetryOn.FIVE_XX), 3), new DefaultHttpHeaders(), limits(3));
    long now = 1_000_000_000L;

    assertThat(s.backOffMillis(response(503, "retry-after", "3"), now)).isEqualTo(3_000);
    assertThat(s.backOffMillis(response(503, "retry-after", "3600"), now)).isEqualTo(10_000);
    assertThat(s.backOffMillis(response(503, "x-reset", String.valueOf(now / 1000 + 2)), now))
        .isEqualTo(2_000);
    assertThat(s.backOffMillis(response(503, "retry-after", "soon"), now)).isBetween(0L, 25L);
  }

  @Test
  void budgetAllowsAShareOfActiveRequestsButAtLeastTheMinimum() {
    ResourceLimits limits =
        new ResourceLimits(
            "c",
            new ResourceLimitsConfig(
                100,
                100,
                100,
                3,
                Optional.of(new ResourceLimitsConfig.RetryBudget(25.0, 2)),
                false));
    assertThat(limits.maxRetries()).isEqualTo(2);
    for (int i = 0; i < 20; i++) {
      limits.tryAcquireRequest();
    }
    assertThat(limits.maxRetries()).isEqualTo(5);
    assertThat(limits.overflowReason(ResourceLimits.Resource.RETRIES))
        .isEqualTo(
            "upstream overflow: cluster c retry_budget budget_percent=25.0 min_retry_concurrency=2");
  }
}
