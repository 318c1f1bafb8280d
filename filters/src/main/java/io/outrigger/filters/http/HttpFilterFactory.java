package io.outrigger.filters.http;

import io.outrigger.api.model.http.HttpFilterConfig;

/**
 * Builds the filter instances of one configured HTTP filter. Created once per configuration
 * snapshot (parsing and validation happen then, not per request); {@link #create()} is called on an
 * event loop for every stream and must be cheap.
 */
public interface HttpFilterFactory {
  /** The filter's configured name, e.g. {@code envoy.filters.http.fault}. */
  String name();

  /** A new filter for one stream; never null. */
  HttpFilter create();

  /**
   * Envoy's {@code createRouteSpecificFilterConfig}: turns one {@code typed_per_filter_config}
   * entry for this filter into what its filters read per request through {@link
   * HttpFilterCallbacks#perRouteConfig} (a per-route token bucket is created here, say).
   *
   * <p>Called once per entry per configuration snapshot, on the thread that builds the snapshot,
   * after this factory; the result is shared by every event loop and must be safe to read from any
   * of them. A virtual host's entry is made once and shared by its routes.
   *
   * @param config the entry, of this filter's own config type (the translator refuses any other)
   * @return never null. Default: {@code config} itself
   * @throws IllegalArgumentException when the entry cannot be used
   */
  default Object createRouteConfig(HttpFilterConfig config) {
    return config;
  }
}
