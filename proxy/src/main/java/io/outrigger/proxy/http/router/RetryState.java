package io.outrigger.proxy.http.router;

import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.util.AsciiString;
import io.outrigger.api.model.http.RetryOn;
import io.outrigger.api.model.http.RetryPolicy;
import io.outrigger.api.model.http.RouteRetry;
import io.outrigger.proxy.http.route.HeadersMatcher;
import io.outrigger.proxy.stats.RetryStats;
import io.outrigger.proxy.upstream.ResourceLimits;
import java.time.Duration;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * One request's retry state (Envoy's {@code RetryStateImpl}): which failures are retriable, how
 * many retries are left, how long to back off, and the cluster's retry slot it holds.
 *
 * <p>The route's {@code retry_policy} is combined with the request's {@code x-envoy-retry-on}
 * (conditions are added), {@code x-envoy-max-retries} (replaces {@code num_retries}), {@code
 * x-envoy-retriable-status-codes} (codes are added) and {@code
 * x-envoy-upstream-rq-per-try-timeout-ms} (replaces {@code per_try_timeout}); those headers are
 * removed before the request goes upstream.
 *
 * <p>Used on the stream's event loop only.
 */
final class RetryState {
  static final AsciiString RETRY_ON = AsciiString.cached("x-envoy-retry-on");
  static final AsciiString MAX_RETRIES = AsciiString.cached("x-envoy-max-retries");
  static final AsciiString PER_TRY_TIMEOUT_MS =
      AsciiString.cached("x-envoy-upstream-rq-per-try-timeout-ms");
  static final AsciiString RETRIABLE_STATUS_CODES =
      AsciiString.cached("x-envoy-retriable-status-codes");
  private static final String OVERLOADED = "x-envoy-overloaded";
  private static final String GRPC_STATUS = "grpc-status";

  /** What {@link #admit} decided. */
  enum Admission {
    /** Retry: a slot is held until the request ends or the next decision. */
    RETRY,
    /** The request used its {@code num_retries}. */
    LIMIT_EXCEEDED,
    /** The cluster's {@code max_retries} or retry budget is used up. */
    OVERFLOW
  }

  private final Set<RetryOn> retryOn;
  private final Set<Integer> statusCodes;
  private HeadersMatcher retriableHeaders; // compiled on first use: most requests never need it
  private final RetryPolicy policy;
  private final Duration perTryTimeout;
  private final JitteredBackOff backOff;
  private final ResourceLimits limits;
  private final RetryStats stats;
  private int retriesRemaining;
  private boolean holdsSlot;
  private boolean disabled;

  private RetryState(
      RetryPolicy policy,
      Set<RetryOn> retryOn,
      Set<Integer> statusCodes,
      int retries,
      Duration perTryTimeout,
      ResourceLimits limits,
      RetryStats stats,
      RandomGenerator random) {
    this.policy = policy;
    this.retryOn = retryOn;
    this.statusCodes = statusCodes;
    this.retriesRemaining = retries;
    this.perTryTimeout = perTryTimeout;
    this.limits = limits;
    this.stats = stats;
    this.backOff =
        new JitteredBackOff(
            policy.baseInterval().toMillis(), policy.maxInterval().toMillis(), random);
  }

  /**
   * The retry state of a request, reading and removing its {@code x-envoy-*} retry headers; null
   * when neither the route nor the headers ask for any retry condition.
   */
  static RetryState create(
      RouteRetry route,
      HttpHeaders requestHeaders,
      ResourceLimits limits,
      RetryStats stats,
      RandomGenerator random) {
    RetryPolicy policy = route.policy();
    if (policy.retryOn().isEmpty()
        && !route.hedgeOnPerTryTimeout()
        && policy.perTryTimeout().isZero()
        && !hasRetryHeaders(requestHeaders)) {
      return null; // the common case, without building the sets below
    }
    Set<RetryOn> on =
        policy.retryOn().isEmpty()
            ? EnumSet.noneOf(RetryOn.class)
            : EnumSet.copyOf(policy.retryOn());
    String header = requestHeaders.get(RETRY_ON);
    if (header != null) {
      for (String token : header.split(",")) {
        RetryOn.ofToken(token).ifPresent(on::add); // unknown tokens are ignored, as in Envoy
      }
    }
    int retries = policy.numRetries();
    Integer max = parseNonNegative(requestHeaders.get(MAX_RETRIES));
    if (max != null) {
      retries = max;
    }
    Set<Integer> codes = new HashSet<>(policy.retriableStatusCodes());
    String extraCodes = requestHeaders.get(RETRIABLE_STATUS_CODES);
    if (extraCodes != null) {
      for (String c : extraCodes.split(",")) {
        Integer code = parseNonNegative(c);
        if (code != null) {
          codes.add(code);
        }
      }
    }
    Duration perTry = policy.perTryTimeout();
    Integer perTryMs = parseNonNegative(requestHeaders.get(PER_TRY_TIMEOUT_MS));
    if (perTryMs != null) {
      perTry = Duration.ofMillis(perTryMs);
    }
    requestHeaders.remove(RETRY_ON);
    requestHeaders.remove(MAX_RETRIES);
    requestHeaders.remove(PER_TRY_TIMEOUT_MS);
    requestHeaders.remove(RETRIABLE_STATUS_CODES);
    if (on.isEmpty() && !route.hedgeOnPerTryTimeout() && perTry.isZero()) {
      return null;
    }
    return new RetryState(policy, on, codes, retries, perTry, limits, stats, random);
  }

  private static boolean hasRetryHeaders(HttpHeaders h) {
    return h.contains(RETRY_ON)
        || h.contains(MAX_RETRIES)
        || h.contains(PER_TRY_TIMEOUT_MS)
        || h.contains(RETRIABLE_STATUS_CODES);
  }

  private static Integer parseNonNegative(String s) {
    if (s == null) {
      return null;
    }
    try {
      int v = Integer.parseInt(s.trim());
      return v >= 0 ? v : null;
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** The per-try timeout; zero for none. */
  Duration perTryTimeout() {
    return perTryTimeout;
  }

  Duration perTryIdleTimeout() {
    return policy.perTryIdleTimeout();
  }

  RetryPolicy policy() {
    return policy;
  }

  /** Whether any retry condition is set at all (so the request body must be kept for replay). */
  boolean mayRetry() {
    return !retryOn.isEmpty();
  }

  /** No retry from now on (the request body outgrew the replay buffer). */
  void disable() {
    disabled = true;
  }

  /** Whether a retry or hedge may still be sent. */
  boolean enabled() {
    return mayRetry() && !disabled;
  }

  /** Whether the policy would retry this answer (before limits). */
  boolean wouldRetry(HttpResponse response) {
    if (disabled) {
      return false;
    }
    HttpHeaders h = response.headers();
    if (h.contains(OVERLOADED)) {
      return false; // the upstream says it is overloaded: retrying makes it worse
    }
    int code = response.status().code();
    if (retryOn.contains(RetryOn.FIVE_XX) && code >= 500 && code <= 599) {
      return true;
    }
    if (retryOn.contains(RetryOn.GATEWAY_ERROR) && code >= 502 && code <= 504) {
      return true;
    }
    if (retryOn.contains(RetryOn.RETRIABLE_4XX) && code == 409) {
      return true;
    }
    if (retryOn.contains(RetryOn.RETRIABLE_STATUS_CODES) && statusCodes.contains(code)) {
      return true;
    }
    if (retryOn.contains(RetryOn.RETRIABLE_HEADERS) && retriableHeaders().anyMatches(h)) {
      return true;
    }
    return grpcRetriable(h.get(GRPC_STATUS));
  }

  private HeadersMatcher retriableHeaders() {
    if (retriableHeaders == null) {
      retriableHeaders = HeadersMatcher.of(policy.retriableHeaders());
    }
    return retriableHeaders;
  }

  private boolean grpcRetriable(String status) {
    if (status == null) {
      return false;
    }
    return switch (status.trim()) {
      case "1" -> retryOn.contains(RetryOn.CANCELLED);
      case "4" -> retryOn.contains(RetryOn.DEADLINE_EXCEEDED);
      case "8" -> retryOn.contains(RetryOn.RESOURCE_EXHAUSTED);
      case "13" -> retryOn.contains(RetryOn.INTERNAL);
      case "14" -> retryOn.contains(RetryOn.UNAVAILABLE);
      default -> false;
    };
  }

  /** Whether the policy would retry an attempt that ended this way (before limits). */
  boolean wouldRetry(AttemptFailure failure) {
    if (disabled || failure == AttemptFailure.OVERFLOW) {
      return false;
    }
    if (retryOn.contains(RetryOn.FIVE_XX)
        || retryOn.contains(RetryOn.GATEWAY_ERROR)
        || retryOn.contains(RetryOn.RESET)) {
      return true;
    }
    return switch (failure) {
      case CONNECT_FAILURE -> retryOn.contains(RetryOn.CONNECT_FAILURE);
      case REFUSED_STREAM -> retryOn.contains(RetryOn.REFUSED_STREAM);
      default -> false;
    };
  }

  /**
   * Takes one retry: counts it against {@code num_retries} and the cluster's retry limit, moving
   * the held slot to the new retry. Counts {@code upstream_rq_retry_limit_exceeded} or {@code
   * upstream_rq_retry_overflow} when refused.
   */
  Admission admit() {
    releaseSlot();
    if (retriesRemaining <= 0) {
      stats.limitExceeded();
      return Admission.LIMIT_EXCEEDED;
    }
    retriesRemaining--;
    if (!limits.tryAcquireRetry()) {
      stats.overflow();
      return Admission.OVERFLOW;
    }
    holdsSlot = true;
    return Admission.RETRY;
  }

  /**
   * How long to wait before the retry: what the response's reset header says when {@code
   * rate_limited_retry_back_off} is configured and the header is there (at most its {@code
   * max_interval}), else the jittered exponential back-off.
   *
   * @param response the retried answer, or null when there was none
   * @param nowEpochMillis the wall clock, for {@code UNIX_TIMESTAMP} headers
   * @return the wait in milliseconds; negative bit never set
   */
  long backOffMillis(HttpResponse response, long nowEpochMillis) {
    long rateLimited =
        response == null ? -1 : rateLimitedMillis(response.headers(), nowEpochMillis);
    if (rateLimited >= 0) {
      stats.retried(true);
      return rateLimited;
    }
    stats.retried(false);
    return backOff.nextMillis();
  }

  private long rateLimitedMillis(HttpHeaders h, long nowEpochMillis) {
    if (policy.rateLimitedBackOff().isEmpty()) {
      return -1;
    }
    RetryPolicy.RateLimitedBackOff r = policy.rateLimitedBackOff().get();
    for (RetryPolicy.ResetHeader header : r.resetHeaders()) {
      String value = h.get(header.name());
      if (value == null) {
        continue;
      }
      try {
        long n = Long.parseLong(value.trim());
        long millis = header.unixTimestamp() ? n * 1000 - nowEpochMillis : n * 1000;
        if (millis > 0) {
          return Math.min(millis, r.maxInterval().toMillis());
        }
      } catch (NumberFormatException e) {
        // not a number (an HTTP date, say): try the next header
      }
    }
    return -1;
  }

  /** The request ended: give back the retry slot. */
  void release() {
    releaseSlot();
  }

  private void releaseSlot() {
    if (holdsSlot) {
      holdsSlot = false;
      limits.releaseRetry();
    }
  }
}
