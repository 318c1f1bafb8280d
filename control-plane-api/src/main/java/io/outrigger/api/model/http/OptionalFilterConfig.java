package io.outrigger.api.model.http;

import static java.util.Objects.requireNonNull;

/**
 * A {@code typed_per_filter_config} entry wrapped in Envoy's {@code config.route.v3.FilterConfig}
 * with {@code is_optional: true}: used when the chain has a filter of that name and type, ignored
 * when it has none (Envoy's rule). A control plane can then put the same route configuration in
 * front of connection managers with and without the filter. Only ever a per-filter config value,
 * never an {@code http_filters} entry.
 *
 * @param config the wrapped config; never itself optional
 */
public record OptionalFilterConfig(HttpFilterConfig config) implements HttpFilterConfig {
  public OptionalFilterConfig {
    requireNonNull(config, "config");
    if (config instanceof OptionalFilterConfig) {
      throw new IllegalArgumentException("config: nested optional config (expected: a filter's)");
    }
  }

  /** The wrapped config when {@code config} is optional, else {@code config} itself. */
  public static HttpFilterConfig unwrap(HttpFilterConfig config) {
    return config instanceof OptionalFilterConfig o ? o.config() : config;
  }

  @Override
  public String name() {
    return config.name();
  }

  @Override
  public String typeUrl() {
    return config.typeUrl();
  }
}
