package io.outrigger.proxy.stats;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/** The router's retry statistics of one cluster, named as Envoy's, labelled {@code cluster}. */
public final class RetryStats {
  private final Counter retry;
  private final Counter success;
  private final Counter overflow;
  private final Counter limitExceeded;
  private final Counter perTryTimeout;
  private final Counter perTryIdleTimeout;
  private final Counter backoffExponential;
  private final Counter backoffRateLimited;

  RetryStats(MeterRegistry registry, String cluster) {
    retry = counter(registry, cluster, "upstream_rq_retry", "Retries sent (including hedges)");
    success =
        counter(
            registry,
            cluster,
            "upstream_rq_retry_success",
            "Requests that succeeded after at least one retry");
    overflow =
        counter(
            registry,
            cluster,
            "upstream_rq_retry_overflow",
            "Retries not sent because of max_retries or the retry budget");
    limitExceeded =
        counter(
            registry,
            cluster,
            "upstream_rq_retry_limit_exceeded",
            "Retries not sent because the request had used its num_retries");
    perTryTimeout =
        counter(
            registry, cluster, "upstream_rq_per_try_timeout", "Attempts that hit per_try_timeout");
    perTryIdleTimeout =
        counter(
            registry,
            cluster,
            "upstream_rq_per_try_idle_timeout",
            "Attempts that hit per_try_idle_timeout");
    backoffExponential =
        counter(
            registry,
            cluster,
            "upstream_rq_retry_backoff_exponential",
            "Retries that waited the jittered exponential back-off");
    backoffRateLimited =
        counter(
            registry,
            cluster,
            "upstream_rq_retry_backoff_ratelimited",
            "Retries that waited as the upstream's reset header said");
  }

  private static Counter counter(MeterRegistry registry, String cluster, String name, String help) {
    return Counter.builder(name).description(help).tag("cluster", cluster).register(registry);
  }

  public void retried(boolean rateLimitedBackOff) {
    retry.increment();
    (rateLimitedBackOff ? backoffRateLimited : backoffExponential).increment();
  }

  public void hedged() {
    retry.increment();
  }

  public void succeededAfterRetry() {
    success.increment();
  }

  public void overflow() {
    overflow.increment();
  }

  public void limitExceeded() {
    limitExceeded.increment();
  }

  public void perTryTimeout(boolean idle) {
    (idle ? perTryIdleTimeout : perTryTimeout).increment();
  }
}
