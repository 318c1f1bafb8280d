package io.outrigger.filters.http.ratelimit;

import io.micrometer.core.instrument.Counter;
import io.outrigger.filters.stats.FilterMeters;

/**
 * Envoy's local rate limit statistics ({@code <stat_prefix>.http_local_rate_limit.*}), as {@code
 * http_local_rate_limit_<name>{stat_prefix="..."}} with the config's own {@code stat_prefix}.
 */
final class LocalRateLimitStats {
  final Counter enabled;
  final Counter enforced;
  final Counter rateLimited;
  final Counter ok;

  LocalRateLimitStats(FilterMeters meters, String statPrefix) {
    enabled =
        meters.counter(
            "http_local_rate_limit_enabled",
            "Requests checked against the local rate limit",
            "stat_prefix",
            statPrefix);
    enforced =
        meters.counter(
            "http_local_rate_limit_enforced",
            "Requests answered by the local rate limit",
            "stat_prefix",
            statPrefix);
    rateLimited =
        meters.counter(
            "http_local_rate_limit_rate_limited",
            "Requests over the local rate limit, answered or not",
            "stat_prefix",
            statPrefix);
    ok =
        meters.counter(
            "http_local_rate_limit_ok",
            "Requests under the local rate limit",
            "stat_prefix",
            statPrefix);
  }
}
