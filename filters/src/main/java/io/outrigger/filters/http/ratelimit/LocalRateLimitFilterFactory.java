package io.outrigger.filters.http.ratelimit;

import static java.util.Objects.requireNonNull;

import io.outrigger.api.model.http.HttpFilterConfig;
import io.outrigger.api.model.http.LocalRateLimitConfig;
import io.outrigger.filters.http.FilterContext;
import io.outrigger.filters.http.HttpFilter;
import io.outrigger.filters.http.HttpFilterFactory;
import io.outrigger.filters.stats.FilterMeters;
import java.util.function.LongSupplier;
import java.util.random.RandomGenerator;

/**
 * Builds {@code envoy.filters.http.local_ratelimit} filters for one snapshot. The filter-level
 * bucket is created here and each per-route config's bucket in {@link #createRouteConfig}, once per
 * snapshot: a config update starts every bucket full again, as a new Envoy filter config does.
 */
public final class LocalRateLimitFilterFactory implements HttpFilterFactory {
  private final String name;
  private final LocalRateLimiter limiter;
  private final FilterMeters meters;
  private final LongSupplier nanoClock;
  private final RandomGenerator random;

  public LocalRateLimitFilterFactory(LocalRateLimitConfig config, FilterContext context) {
    requireNonNull(config, "config");
    requireNonNull(context, "context");
    this.name = config.name();
    this.meters = context.meters();
    this.nanoClock = context.nanoClock();
    this.random = context.random();
    this.limiter = new LocalRateLimiter(config, meters, nanoClock);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public HttpFilter create() {
    return new LocalRateLimitFilter(name, limiter, random);
  }

  /** A route's {@code LocalRateLimit}: its own bucket and statistics. */
  @Override
  public Object createRouteConfig(HttpFilterConfig config) {
    if (!(config instanceof LocalRateLimitConfig local)) {
      throw new IllegalArgumentException(
          "typed_per_filter_config[\"" + name + "\"]: not a LocalRateLimit: " + config.typeUrl());
    }
    return new LocalRateLimiter(local, meters, nanoClock);
  }
}
