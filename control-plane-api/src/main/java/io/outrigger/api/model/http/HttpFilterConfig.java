package io.outrigger.api.model.http;

/**
 * One HTTP filter of the connection manager's chain, translated from its {@code typed_config}.
 *
 * <p>Sealed like {@link io.outrigger.api.model.NetworkFilterConfig}: an HTTP filter type the
 * translator does not know is refused by its type URL and never reaches the data plane. Each filter
 * is a record carrying its own typed configuration; later filters (fault, local rate limit, RBAC,
 * partition) join the permits list. The {@link RouterFilterConfig router} is always last. {@link
 * OptionalFilterConfig} and {@link RbacPerRouteConfig} are only ever per-route configs.
 */
public sealed interface HttpFilterConfig
    permits RouterFilterConfig,
        FaultFilterConfig,
        LocalRateLimitConfig,
        PartitionFilterConfig,
        RbacFilterConfig,
        RbacPerRouteConfig,
        OptionalFilterConfig {
  /** The filter's name as written in the config, e.g. {@code envoy.filters.http.router}. */
  String name();

  /** The {@code typed_config} type URL that selected this filter. */
  String typeUrl();
}
