package io.outrigger.api.model.http;

import static java.util.Objects.requireNonNull;

/**
 * Where the HTTP connection manager's routes come from: written inline ({@code route_config}) or
 * discovered by name over RDS ({@code rds}).
 */
public sealed interface RouteSource {

  /** {@code route_config}: the routes are part of the listener. */
  record InlineRoutes(RouteConfig routeConfig) implements RouteSource {
    public InlineRoutes {
      requireNonNull(routeConfig, "routeConfig");
    }
  }

  /**
   * {@code rds}: the routes are the RDS resource named {@code routeConfigName}. Resolved by the
   * discovery client; a static bootstrap refuses it, as there is no discovery yet.
   */
  record Rds(String routeConfigName) implements RouteSource {
    public Rds {
      requireNonNull(routeConfigName, "routeConfigName");
      if (routeConfigName.isEmpty()) {
        throw new IllegalArgumentException(
            "route_config_name: empty (expected: the name of a RouteConfiguration)");
      }
    }
  }
}
