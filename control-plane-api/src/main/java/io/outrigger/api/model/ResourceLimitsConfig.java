package io.outrigger.api.model;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * A cluster's {@code circuit_breakers.thresholds} at priority DEFAULT: how much of the cluster one
 * sidecar may use at once, over all hosts and event loops. Past a limit the request is answered 503
 * with {@code x-envoy-overloaded: true} at once (or, for connections, waits as a pending request).
 *
 * @param maxConnections upstream connections; default 1024
 * @param maxPendingRequests requests waiting for a connection; default 1024
 * @param maxRequests requests in flight; default 1024
 * @param maxRetries retries in flight; default 3; replaced by the budget when one is set
 * @param retryBudget {@code retry_budget}: retries in flight as a share of active requests
 * @param trackRemaining publish the {@code remaining_*} gauges; default false
 */
public record ResourceLimitsConfig(
    int maxConnections,
    int maxPendingRequests,
    int maxRequests,
    int maxRetries,
    Optional<RetryBudget> retryBudget,
    boolean trackRemaining) {

  public static final int DEFAULT_MAX_CONNECTIONS = 1024;
  public static final int DEFAULT_MAX_PENDING_REQUESTS = 1024;
  public static final int DEFAULT_MAX_REQUESTS = 1024;
  public static final int DEFAULT_MAX_RETRIES = 3;

  /** Envoy's defaults. */
  public static final ResourceLimitsConfig DEFAULT =
      new ResourceLimitsConfig(
          DEFAULT_MAX_CONNECTIONS,
          DEFAULT_MAX_PENDING_REQUESTS,
          DEFAULT_MAX_REQUESTS,
          DEFAULT_MAX_RETRIES,
          Optional.empty(),
          false);

  public ResourceLimitsConfig {
    requireNonNull(retryBudget, "retryBudget");
    nonNegative("max_connections", maxConnections);
    nonNegative("max_pending_requests", maxPendingRequests);
    nonNegative("max_requests", maxRequests);
    nonNegative("max_retries", maxRetries);
  }

  private static void nonNegative(String field, int value) {
    if (value < 0) {
      throw new IllegalArgumentException(field + ": " + value + " (expected: >= 0)");
    }
  }

  /**
   * {@code retry_budget}: at most {@code budgetPercent} of the active and pending requests may be
   * retries, but never fewer than {@code minRetryConcurrency}.
   *
   * @param budgetPercent default 20.0
   * @param minRetryConcurrency default 3
   */
  public record RetryBudget(double budgetPercent, int minRetryConcurrency) {
    public static final double DEFAULT_BUDGET_PERCENT = 20.0;
    public static final int DEFAULT_MIN_RETRY_CONCURRENCY = 3;

    public RetryBudget {
      if (!(budgetPercent >= 0 && budgetPercent <= 100)) {
        throw new IllegalArgumentException(
            "budget_percent: " + budgetPercent + " (expected: 0..100)");
      }
      if (minRetryConcurrency < 0) {
        throw new IllegalArgumentException(
            "min_retry_concurrency: " + minRetryConcurrency + " (expected: >= 0)");
      }
    }
  }
}
