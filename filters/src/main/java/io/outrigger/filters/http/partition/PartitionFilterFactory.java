package io.outrigger.filters.http.partition;

import static java.util.Objects.requireNonNull;

import io.outrigger.api.model.http.HttpFilterConfig;
import io.outrigger.api.model.http.PartitionFilterConfig;
import io.outrigger.filters.http.FilterContext;
import io.outrigger.filters.http.HttpFilter;
import io.outrigger.filters.http.HttpFilterFactory;
import java.util.random.RandomGenerator;

/**
 * Builds {@code outrigger.filters.partition} filters for one snapshot. A route's or virtual host's
 * {@code typed_per_filter_config} (the control plane puts the node's rules there, so that they
 * reach open connections over RDS) replaces the filter-level rules for that route, whole.
 */
public final class PartitionFilterFactory implements HttpFilterFactory {
  private final PartitionFilterConfig config;
  private final PartitionStats stats;
  private final RandomGenerator random;

  public PartitionFilterFactory(PartitionFilterConfig config, FilterContext context) {
    this.config = requireNonNull(config, "config");
    requireNonNull(context, "context");
    this.stats = new PartitionStats(context.meters(), context.statPrefix());
    this.random = context.random();
  }

  @Override
  public String name() {
    return config.name();
  }

  @Override
  public HttpFilter create() {
    return new PartitionFilter(config, stats, random);
  }

  /** A route's rules, used as they are: the model is immutable and already validated. */
  @Override
  public Object createRouteConfig(HttpFilterConfig routeConfig) {
    if (!(routeConfig instanceof PartitionFilterConfig)) {
      throw new IllegalArgumentException(
          "typed_per_filter_config[\""
              + config.name()
              + "\"]: not a partition config: "
              + routeConfig.typeUrl());
    }
    return routeConfig;
  }
}
