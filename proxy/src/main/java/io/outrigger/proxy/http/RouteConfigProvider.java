package io.outrigger.proxy.http;

import static java.util.Objects.requireNonNull;

import io.outrigger.api.model.http.RouteConfig;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The route configurations discovered over RDS, by name, and the connection managers that use them.
 * A connection manager whose {@code http_connection_manager} names {@code rds.route_config_name}
 * resolves through an {@link RdsRouteResolver} subscribed here; an RDS update builds every
 * subscriber's new route table first (so that a table that cannot be built refuses the whole
 * update), then swaps each subscriber's volatile reference. A route change therefore needs no
 * listener change, and a request keeps the table it was routed with.
 *
 * <p>Threading: {@link #update} and subscriptions run on the discovery client's thread (or at
 * listener construction); they synchronize on this object. The data path only reads each
 * subscriber's volatile table.
 *
 * <p>RDS is not a wildcard type: a name absent from an update keeps its last configuration (Envoy
 * does the same); a route configuration is forgotten only when nothing uses it.
 */
public final class RouteConfigProvider {
  private final Map<String, RouteConfig> configs = new HashMap<>();
  private final Map<String, Set<RdsRouteResolver>> users = new HashMap<>();

  /**
   * Installs new versions of route configurations.
   *
   * @throws IllegalArgumentException naming the route configuration when a subscriber's table
   *     cannot be built from it; nothing changed then
   */
  public void update(Map<String, RouteConfig> next) {
    // Installed outside the lock: installing may complete a warming listener's future, and its
    // activation takes the listener manager's lock, which subscribing holds before ours.
    prepare(next).forEach(RdsRouteResolver::install);
  }

  private synchronized Map<RdsRouteResolver, RouteResolver> prepare(Map<String, RouteConfig> next) {
    Map<RdsRouteResolver, RouteResolver> built = new IdentityHashMap<>();
    List<String> changed = new ArrayList<>();
    for (Map.Entry<String, RouteConfig> e : next.entrySet()) {
      if (e.getValue().equals(configs.get(e.getKey()))) {
        continue;
      }
      changed.add(e.getKey());
      for (RdsRouteResolver user : users.getOrDefault(e.getKey(), Set.of())) {
        built.put(user, build(user, e.getKey(), e.getValue()));
      }
    }
    for (String name : changed) {
      configs.put(name, next.get(name));
    }
    return built;
  }

  /** The current configuration of that name, if one arrived. */
  public synchronized Optional<RouteConfig> current(String name) {
    return Optional.ofNullable(configs.get(name));
  }

  /**
   * A resolver for route configuration {@code name}, ready at once when the configuration is known,
   * otherwise once it arrives (see {@link RdsRouteResolver#ready()}).
   *
   * @param tables builds a connection manager's route table from a configuration; may throw {@link
   *     IllegalArgumentException}
   */
  synchronized RdsRouteResolver subscribe(
      String name, Function<RouteConfig, RouteResolver> tables) {
    RdsRouteResolver user = new RdsRouteResolver(this, name, tables);
    RouteConfig known = configs.get(name);
    if (known != null) {
      user.install(build(user, name, known));
    }
    users.computeIfAbsent(name, n -> new LinkedHashSet<>()).add(user);
    return user;
  }

  synchronized void unsubscribe(RdsRouteResolver user) {
    Set<RdsRouteResolver> set = users.get(user.routeConfigName());
    if (set != null && set.remove(user) && set.isEmpty()) {
      users.remove(user.routeConfigName());
    }
  }

  private static RouteResolver build(RdsRouteResolver user, String name, RouteConfig config) {
    try {
      return requireNonNull(user.tables().apply(config), "table");
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "route configuration \"" + name + "\": " + e.getMessage(), e);
    }
  }
}
