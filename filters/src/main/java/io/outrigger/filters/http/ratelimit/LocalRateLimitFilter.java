package io.outrigger.filters.http.ratelimit;

import io.netty.handler.codec.http.HttpRequest;
import io.outrigger.filters.http.FilterStatus;
import io.outrigger.filters.http.HttpFilter;
import io.outrigger.filters.http.HttpFilterCallbacks;
import io.outrigger.filters.http.ResponseFlag;
import io.outrigger.filters.http.headers.HeaderMutations;
import java.util.OptionalInt;
import java.util.random.RandomGenerator;

/**
 * Envoy's local rate limit filter for one stream ({@code local_ratelimit.cc}): the route's limiter
 * if it has one, else the filter's; if the request is enabled it takes a token, and without one it
 * is answered {@code status} (429) with the flag RL, if enforced.
 */
final class LocalRateLimitFilter implements HttpFilter {
  /** The body and the response code details of a limited request, as Envoy writes them. */
  static final String BODY = "local_rate_limited";

  static final String DETAILS = "local_rate_limited";

  private final String name;
  private final LocalRateLimiter filterLimiter;
  private final RandomGenerator random;

  LocalRateLimitFilter(String name, LocalRateLimiter limiter, RandomGenerator random) {
    this.name = name;
    this.filterLimiter = limiter;
    this.random = random;
  }

  @Override
  public FilterStatus onRequestHeaders(
      HttpRequest request, boolean endOfStream, HttpFilterCallbacks callbacks) {
    LocalRateLimiter limiter =
        callbacks.perRouteConfig(name, LocalRateLimiter.class).orElse(filterLimiter);
    if (!limiter.enabled.selects(random.nextLong())) {
      return FilterStatus.CONTINUE;
    }
    limiter.stats.enabled.increment();
    if (limiter.allow()) {
      limiter.stats.ok.increment();
      return FilterStatus.CONTINUE;
    }
    limiter.stats.rateLimited.increment();
    if (!limiter.enforced.selects(random.nextLong())) {
      return FilterStatus.CONTINUE;
    }
    limiter.stats.enforced.increment();
    callbacks.sendLocalReply(
        limiter.status,
        BODY,
        DETAILS,
        ResponseFlag.RL,
        OptionalInt.empty(),
        headers -> HeaderMutations.apply(limiter.responseHeaders, headers));
    return FilterStatus.STOP_ITERATION;
  }
}
