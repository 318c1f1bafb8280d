package io.outrigger.proxy.http.route;

import java.util.Map;
import java.util.Optional;

/**
 * The per-filter configs of one route: its {@code typed_per_filter_config} entries over its virtual
 * host's (a route's entry for a filter replaces the virtual host's), each already made by its
 * filter factory's {@code createRouteConfig}. Built once per snapshot; immutable.
 */
public final class RouteFilterConfigs {
  /** No per-filter config. */
  public static final RouteFilterConfigs NONE = new RouteFilterConfigs(Map.of());

  private final Map<String, Object> byFilterName;

  private RouteFilterConfigs(Map<String, Object> byFilterName) {
    this.byFilterName = byFilterName;
  }

  public static RouteFilterConfigs of(Map<String, Object> byFilterName) {
    return byFilterName.isEmpty() ? NONE : new RouteFilterConfigs(Map.copyOf(byFilterName));
  }

  /** The config for {@code filterName} if it is a {@code type}. */
  public <T> Optional<T> get(String filterName, Class<T> type) {
    Object config = byFilterName.get(filterName);
    return type.isInstance(config) ? Optional.of(type.cast(config)) : Optional.empty();
  }

  public boolean isEmpty() {
    return byFilterName.isEmpty();
  }
}
