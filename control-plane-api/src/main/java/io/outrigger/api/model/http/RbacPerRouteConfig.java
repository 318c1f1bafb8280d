package io.outrigger.api.model.http;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * {@code extensions.filters.http.rbac.v3.RBACPerRoute}, a route's or virtual host's {@code
 * typed_per_filter_config} entry for an {@code envoy.filters.http.rbac} filter: its {@code rbac}
 * replaces the filter's config for that route, whole; an entry without {@code rbac} disables the
 * filter there (Envoy's rule).
 *
 * @param name the map key: the filter's name
 * @param rbac the config used on the route; empty disables the filter on the route
 */
public record RbacPerRouteConfig(String name, Optional<RbacFilterConfig> rbac)
    implements HttpFilterConfig {
  public static final String TYPE_URL =
      "type.googleapis.com/envoy.extensions.filters.http.rbac.v3.RBACPerRoute";

  public RbacPerRouteConfig {
    requireNonNull(name, "name");
    requireNonNull(rbac, "rbac");
    if (name.isEmpty()) {
      throw new IllegalArgumentException("name: empty (expected: a filter name)");
    }
  }

  @Override
  public String typeUrl() {
    return TYPE_URL;
  }
}
