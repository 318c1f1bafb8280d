package io.outrigger.api.model.http;

import static java.util.Objects.requireNonNull;

/**
 * {@code envoy.extensions.filters.http.router.v3.Router}: the terminal HTTP filter that forwards
 * the request to the route's cluster. No option of {@code Router} is supported yet; each one set is
 * refused.
 *
 * @param name the filter name as configured; empty in the config means {@link #FILTER_NAME}
 */
public record RouterFilterConfig(String name) implements HttpFilterConfig {
  public static final String FILTER_NAME = "envoy.filters.http.router";
  public static final String TYPE_URL =
      "type.googleapis.com/envoy.extensions.filters.http.router.v3.Router";

  public RouterFilterConfig {
    requireNonNull(name, "name");
    if (name.isEmpty()) {
      throw new IllegalArgumentException("name: empty (expected: a filter name)");
    }
  }

  @Override
  public String typeUrl() {
    return TYPE_URL;
  }
}
