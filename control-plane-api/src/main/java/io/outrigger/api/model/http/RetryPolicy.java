package io.outrigger.api.model.http;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * {@code route.v3.RetryPolicy}: when and how the router tries a request again. The route timeout
 * covers all attempts.
 *
 * @param retryOn the conditions; empty means the route never retries on its own (the {@code
 *     x-envoy-retry-on} request header may still ask for retries)
 * @param numRetries retries after the first attempt; Envoy's default is 1
 * @param perTryTimeout each attempt's timeout, from when the request is complete; {@link
 *     Duration#ZERO} means none (only the route timeout)
 * @param perTryIdleTimeout each attempt's idle timeout (no response bytes for this long); zero
 *     means none
 * @param baseInterval {@code retry_back_off.base_interval}, default 25 ms
 * @param maxInterval {@code retry_back_off.max_interval}, default 10 × the base interval
 * @param retriableStatusCodes statuses retried under {@link RetryOn#RETRIABLE_STATUS_CODES}
 * @param retriableHeaders response headers that make an answer retriable under {@link
 *     RetryOn#RETRIABLE_HEADERS}
 * @param previousHosts the {@code previous_hosts} retry host predicate: a retry avoids hosts
 *     already tried
 * @param hostSelectionMaxAttempts how many times a host is chosen again when the predicate rejects
 *     it; default 1
 * @param rateLimitedBackOff {@code rate_limited_retry_back_off}: back off as the upstream's reset
 *     headers (such as {@code Retry-After}) say; empty when not configured
 */
public record RetryPolicy(
    Set<RetryOn> retryOn,
    int numRetries,
    Duration perTryTimeout,
    Duration perTryIdleTimeout,
    Duration baseInterval,
    Duration maxInterval,
    Set<Integer> retriableStatusCodes,
    List<HeaderMatcher> retriableHeaders,
    boolean previousHosts,
    int hostSelectionMaxAttempts,
    Optional<RateLimitedBackOff> rateLimitedBackOff) {

  public static final int DEFAULT_NUM_RETRIES = 1;
  public static final Duration DEFAULT_BASE_INTERVAL = Duration.ofMillis(25);

  /** No retry policy: one attempt, unless the request's headers ask for more. */
  public static final RetryPolicy NONE =
      new RetryPolicy(
          Set.of(),
          DEFAULT_NUM_RETRIES,
          Duration.ZERO,
          Duration.ZERO,
          DEFAULT_BASE_INTERVAL,
          DEFAULT_BASE_INTERVAL.multipliedBy(10),
          Set.of(),
          List.of(),
          false,
          1,
          Optional.empty());

  public RetryPolicy {
    requireNonNull(retryOn, "retryOn");
    retryOn =
        retryOn.isEmpty()
            ? Set.of()
            : java.util.Collections.unmodifiableSet(EnumSet.copyOf(retryOn));
    requireNonNull(perTryTimeout, "perTryTimeout");
    requireNonNull(perTryIdleTimeout, "perTryIdleTimeout");
    requireNonNull(baseInterval, "baseInterval");
    requireNonNull(maxInterval, "maxInterval");
    retriableStatusCodes = Set.copyOf(requireNonNull(retriableStatusCodes, "retriableStatusCodes"));
    retriableHeaders = List.copyOf(requireNonNull(retriableHeaders, "retriableHeaders"));
    requireNonNull(rateLimitedBackOff, "rateLimitedBackOff");
    if (numRetries < 0) {
      throw new IllegalArgumentException("num_retries: " + numRetries + " (expected: >= 0)");
    }
    if (perTryTimeout.isNegative() || perTryIdleTimeout.isNegative()) {
      throw new IllegalArgumentException("per_try_timeout: negative (expected: >= 0s)");
    }
    if (baseInterval.toMillis() < 1) {
      throw new IllegalArgumentException(
          "retry_back_off.base_interval: " + baseInterval + " (expected: >= 1ms)");
    }
    if (maxInterval.compareTo(baseInterval) < 0) {
      throw new IllegalArgumentException(
          "retry_back_off.max_interval: "
              + maxInterval
              + " (expected: >= base_interval "
              + baseInterval
              + ")");
    }
    for (int code : retriableStatusCodes) {
      if (code < 100 || code > 599) {
        throw new IllegalArgumentException(
            "retriable_status_codes: " + code + " (expected: 100..599)");
      }
    }
    if (hostSelectionMaxAttempts < 1) {
      throw new IllegalArgumentException(
          "host_selection_retry_max_attempts: " + hostSelectionMaxAttempts + " (expected: >= 1)");
    }
  }

  /**
   * {@code rate_limited_retry_back_off}.
   *
   * @param resetHeaders the headers to read, first match wins
   * @param maxInterval the longest back-off taken from a header; default 300 s
   */
  public record RateLimitedBackOff(List<ResetHeader> resetHeaders, Duration maxInterval) {
    public static final Duration DEFAULT_MAX_INTERVAL = Duration.ofSeconds(300);

    public RateLimitedBackOff {
      resetHeaders = List.copyOf(requireNonNull(resetHeaders, "resetHeaders"));
      requireNonNull(maxInterval, "maxInterval");
      if (resetHeaders.isEmpty()) {
        throw new IllegalArgumentException(
            "reset_headers: empty (expected: at least one header, e.g. retry-after)");
      }
      if (maxInterval.toMillis() < 1) {
        throw new IllegalArgumentException("max_interval: " + maxInterval + " (expected: >= 1ms)");
      }
    }
  }

  /**
   * A header that says how long to back off.
   *
   * @param name the header name, lower-case
   * @param unixTimestamp whether the value is a Unix time in seconds ({@code UNIX_TIMESTAMP})
   *     rather than a number of seconds ({@code SECONDS}, as {@code Retry-After} is)
   */
  public record ResetHeader(String name, boolean unixTimestamp) {
    public ResetHeader {
      requireNonNull(name, "name");
      if (name.isEmpty()) {
        throw new IllegalArgumentException("name: empty (expected: a header name)");
      }
      name = name.toLowerCase(java.util.Locale.ROOT);
    }
  }
}
