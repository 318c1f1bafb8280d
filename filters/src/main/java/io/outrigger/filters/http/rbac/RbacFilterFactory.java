package io.outrigger.filters.http.rbac;

import static java.util.Objects.requireNonNull;

import io.outrigger.api.model.http.HttpFilterConfig;
import io.outrigger.api.model.http.RbacFilterConfig;
import io.outrigger.api.model.http.RbacPerRouteConfig;
import io.outrigger.filters.common.rbac.RbacDenialLog;
import io.outrigger.filters.common.rbac.RbacEngine;
import io.outrigger.filters.common.rbac.RbacStats;
import io.outrigger.filters.http.FilterContext;
import io.outrigger.filters.http.HttpFilter;
import io.outrigger.filters.http.HttpFilterFactory;

/**
 * Builds {@code envoy.filters.http.rbac} filters for one snapshot: the engines are compiled here,
 * once. A route's or virtual host's {@code RBACPerRoute} replaces the filter's rules on that route
 * (its {@code rbac} absent: no rules at all); its decisions count in the filter's statistics.
 */
public final class RbacFilterFactory implements HttpFilterFactory {
  private final String name;
  private final RbacEngines engines;
  private final RbacStats stats;
  private final RbacDenialLog denials;

  public RbacFilterFactory(RbacFilterConfig config, FilterContext context) {
    requireNonNull(config, "config");
    requireNonNull(context, "context");
    this.name = config.name();
    this.engines = RbacEngines.of(config);
    this.stats =
        new RbacStats(
            context.meters(),
            "http",
            context.statPrefix(),
            config.rulesStatPrefix(),
            config.shadowRulesStatPrefix());
    this.denials = new RbacDenialLog("http " + context.statPrefix(), context.nanoClock());
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public HttpFilter create() {
    return new RbacFilter(name, engines, stats, denials);
  }

  /** An {@code RBACPerRoute}: its engines, compiled once per snapshot. */
  @Override
  public Object createRouteConfig(HttpFilterConfig routeConfig) {
    if (!(routeConfig instanceof RbacPerRouteConfig perRoute)) {
      throw new IllegalArgumentException(
          "typed_per_filter_config[\""
              + name
              + "\"]: not an RBACPerRoute: "
              + routeConfig.typeUrl());
    }
    return perRoute.rbac().map(RbacEngines::of).orElse(RbacEngines.DISABLED);
  }

  /** The compiled enforced and shadow rules of one config; {@code null} where absent. */
  record RbacEngines(RbacEngine enforced, RbacEngine shadow) {
    static final RbacEngines DISABLED = new RbacEngines(null, null);

    static RbacEngines of(RbacFilterConfig config) {
      return new RbacEngines(
          config.rules().map(RbacEngine::new).orElse(null),
          config.shadowRules().map(RbacEngine::new).orElse(null));
    }
  }
}
