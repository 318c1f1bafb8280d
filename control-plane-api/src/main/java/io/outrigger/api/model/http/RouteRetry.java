package io.outrigger.api.model.http;

import static java.util.Objects.requireNonNull;

/**
 * Everything about trying a forwarded request more than once, folded together from the route's
 * {@code route} action and its virtual host (the route's value wins where both set one).
 *
 * @param policy {@code retry_policy}; {@link RetryPolicy#NONE} when neither sets one
 * @param hedgeOnPerTryTimeout {@code hedge_policy.hedge_on_per_try_timeout}: when an attempt's
 *     per-try timeout fires, send another attempt without cancelling it; the first good response
 *     wins; default false
 * @param bufferLimitBytes {@code per_request_buffer_limit_bytes}: the most request body kept for
 *     replay; a request whose body grows past it is not retried; default 1 MiB
 * @param includeAttemptCount the virtual host's {@code include_request_attempt_count}: send {@code
 *     x-envoy-attempt-count} upstream; default false
 */
public record RouteRetry(
    RetryPolicy policy,
    boolean hedgeOnPerTryTimeout,
    long bufferLimitBytes,
    boolean includeAttemptCount) {
  public static final long DEFAULT_BUFFER_LIMIT_BYTES = 1024 * 1024;

  /** No policy, no hedging, Envoy's default buffer limit. */
  public static final RouteRetry DEFAULT =
      new RouteRetry(RetryPolicy.NONE, false, DEFAULT_BUFFER_LIMIT_BYTES, false);

  public RouteRetry {
    requireNonNull(policy, "policy");
    if (bufferLimitBytes < 0) {
      throw new IllegalArgumentException(
          "per_request_buffer_limit_bytes: " + bufferLimitBytes + " (expected: >= 0)");
    }
  }
}
