package io.outrigger.filters.http.fault;

import static java.util.Objects.requireNonNull;

import io.outrigger.api.model.http.FaultFilterConfig;
import io.outrigger.api.model.http.HttpFilterConfig;
import io.outrigger.filters.http.FilterContext;
import io.outrigger.filters.http.HttpFilter;
import io.outrigger.filters.http.HttpFilterFactory;
import java.util.random.RandomGenerator;

/**
 * Builds {@code envoy.filters.http.fault} filters for one snapshot: the settings are compiled once,
 * the statistics (and so the {@code max_active_faults} count) are shared with every per-route
 * override of this filter.
 */
public final class FaultFilterFactory implements HttpFilterFactory {
  private final String name;
  private final FaultSettings settings;
  private final FaultStats stats;
  private final RandomGenerator random;

  public FaultFilterFactory(FaultFilterConfig config, FilterContext context) {
    requireNonNull(config, "config");
    requireNonNull(context, "context");
    this.name = config.name();
    this.settings = new FaultSettings(config);
    this.stats = new FaultStats(context.meters(), context.statPrefix());
    this.random = context.random();
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public HttpFilter create() {
    return new FaultFilter(name, settings, stats, random);
  }

  /** A route's {@code HTTPFault}, compiled; it replaces the filter-level settings whole. */
  @Override
  public Object createRouteConfig(HttpFilterConfig config) {
    if (!(config instanceof FaultFilterConfig fault)) {
      throw new IllegalArgumentException(
          "typed_per_filter_config[\"" + name + "\"]: not an HTTPFault: " + config.typeUrl());
    }
    return new FaultSettings(fault);
  }
}
