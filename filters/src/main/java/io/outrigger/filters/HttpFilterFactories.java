package io.outrigger.filters;

import io.outrigger.api.model.http.FaultFilterConfig;
import io.outrigger.api.model.http.HttpFilterConfig;
import io.outrigger.api.model.http.LocalRateLimitConfig;
import io.outrigger.api.model.http.PartitionFilterConfig;
import io.outrigger.api.model.http.RbacFilterConfig;
import io.outrigger.api.model.http.RouterFilterConfig;
import io.outrigger.filters.http.FilterContext;
import io.outrigger.filters.http.HttpFilterFactory;
import io.outrigger.filters.http.fault.FaultFilterFactory;
import io.outrigger.filters.http.partition.PartitionFilterFactory;
import io.outrigger.filters.http.ratelimit.LocalRateLimitFilterFactory;
import io.outrigger.filters.http.rbac.RbacFilterFactory;
import java.util.Optional;

/** Turns each configured HTTP filter into its factory, once per snapshot. */
public final class HttpFilterFactories {
  private HttpFilterFactories() {}

  /**
   * @return the filter's factory; empty for the router, which is terminal and built into the
   *     connection manager
   */
  public static Optional<HttpFilterFactory> create(HttpFilterConfig config, FilterContext context) {
    if (config instanceof FaultFilterConfig fault) {
      return Optional.of(new FaultFilterFactory(fault, context));
    }
    if (config instanceof LocalRateLimitConfig local) {
      return Optional.of(new LocalRateLimitFilterFactory(local, context));
    }
    if (config instanceof PartitionFilterConfig partition) {
      return Optional.of(new PartitionFilterFactory(partition, context));
    }
    if (config instanceof RbacFilterConfig rbac) {
      return Optional.of(new RbacFilterFactory(rbac, context));
    }
    if (config instanceof RouterFilterConfig) {
      return Optional.empty();
    }
    throw new IllegalArgumentException("no factory for http filter " + config.typeUrl());
  }
}
