package io.outrigger.filters.http.ratelimit;

import io.outrigger.api.model.http.FractionalPercent;
import io.outrigger.api.model.http.HeaderMutation;
import io.outrigger.api.model.http.LocalRateLimitConfig;
import io.outrigger.filters.stats.FilterMeters;
import java.util.function.LongSupplier;

/**
 * One {@link LocalRateLimitConfig} made ready for the data path (Envoy's {@code FilterConfig}): its
 * token bucket, statistics and answer. Made once per snapshot for the filter level and once per
 * {@code typed_per_filter_config} entry, so each has its own bucket; shared by every event loop.
 */
final class LocalRateLimiter {
  final TokenBucket bucket;
  final LocalRateLimitStats stats;
  final FractionalPercent enabled;
  final FractionalPercent enforced;
  final int status;
  final HeaderMutation responseHeaders;

  LocalRateLimiter(LocalRateLimitConfig config, FilterMeters meters, LongSupplier nanoClock) {
    this.bucket = config.tokenBucket().map(b -> new TokenBucket(b, nanoClock)).orElse(null);
    this.stats = new LocalRateLimitStats(meters, config.statPrefix());
    this.enabled = config.filterEnabled();
    this.enforced = config.filterEnforced();
    this.status = config.status();
    this.responseHeaders = config.responseHeadersToAdd();
  }

  /** Takes a token; without a bucket (allowed only at the filter level) nothing is limited. */
  boolean allow() {
    return bucket == null || bucket.tryAcquire();
  }
}
