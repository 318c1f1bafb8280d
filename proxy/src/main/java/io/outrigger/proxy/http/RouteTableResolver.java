package io.outrigger.proxy.http;

import io.netty.handler.codec.http.HttpRequest;
import io.outrigger.api.model.http.ClusterRoute;
import io.outrigger.api.model.http.DirectResponseRoute;
import io.outrigger.api.model.http.RedirectRoute;
import io.outrigger.api.model.http.Route;
import io.outrigger.api.model.http.RouteAction;
import io.outrigger.api.model.http.UpgradeConfig;
import io.outrigger.api.model.http.VirtualHost;
import io.outrigger.proxy.http.route.RedirectBuilder;
import io.outrigger.proxy.http.route.RouteDecision;
import io.outrigger.proxy.http.route.RouteFilterConfigs;
import io.outrigger.proxy.http.route.RouteSelection;
import io.outrigger.proxy.http.route.RouteTable;
import java.time.Duration;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;
import java.util.random.RandomGenerator;

/** Turns the route table's selection into the connection manager's {@link RouteDecision}. */
final class RouteTableResolver implements RouteResolver {
  private final RouteTable table;
  private final RandomGenerator random;
  private final Set<String> listenerUpgrades;
  private final Map<Route, RouteFilterConfigs> perFilterConfigs;

  private static final byte[] NO_BODY = new byte[0];

  /** Each direct response's body, copied once: the model hands out a copy per call. */
  private final Map<DirectResponseRoute, byte[]> directBodies = new IdentityHashMap<>();

  /**
   * The decision of each of the table's fixed selections that reads nothing of the request either,
   * by identity of the selection: a direct response, or a cluster that exists for a request without
   * an upgrade. Made once per table instead of once per request; decisions are immutable.
   */
  private final Map<RouteSelection, RouteDecision> sharedDecisions = new IdentityHashMap<>();

  /**
   * @param perFilterConfigs each route's per-filter configs, by identity of the table's routes; a
   *     route that is absent has none
   */
  RouteTableResolver(
      RouteTable table,
      RandomGenerator random,
      Set<String> listenerUpgrades,
      Map<Route, RouteFilterConfigs> perFilterConfigs) {
    this.table = table;
    this.random = random;
    this.listenerUpgrades = listenerUpgrades;
    this.perFilterConfigs = new IdentityHashMap<>(perFilterConfigs);
    for (VirtualHost host : table.config().virtualHosts()) {
      for (Route route : host.routes()) {
        if (route.action() instanceof DirectResponseRoute direct) {
          directBodies.put(direct, direct.body());
        }
      }
    }
    for (RouteSelection s : table.fixedSelections()) {
      RouteFilterConfigs filterConfigs = filterConfigs(s);
      if (s.route().action() instanceof DirectResponseRoute direct) {
        sharedDecisions.put(s, respond(direct, s, filterConfigs));
      } else if (s.route().action() instanceof ClusterRoute route && !s.clusterNotFound()) {
        sharedDecisions.put(s, forward(route, s, filterConfigs, true));
      }
    }
  }

  RouteTableResolver(RouteTable table, RandomGenerator random, Set<String> listenerUpgrades) {
    this(table, random, listenerUpgrades, Map.of());
  }

  @Override
  public RouteDecision resolve(HttpRequest request, String scheme, String remoteAddress) {
    RouteSelection s = table.select(new NettyRouteRequest(request, scheme, remoteAddress), random);
    if (s == null) {
      return new RouteDecision.NoRoute();
    }
    RouteDecision shared = sharedDecisions.get(s);
    if (shared instanceof RouteDecision.Respond
        || (shared != null && RequestHeaders.upgradeType(request) == null)) {
      return shared;
    }
    RouteAction action = s.route().action();
    RouteFilterConfigs filterConfigs = filterConfigs(s);
    if (action instanceof DirectResponseRoute direct) {
      return respond(direct, s, filterConfigs);
    }
    if (action instanceof RedirectRoute redirect) {
      String location =
          RedirectBuilder.location(
              redirect,
              s.route().match().path(),
              s.route().match().caseSensitive(),
              new NettyRouteRequest(request, scheme, remoteAddress));
      return new RouteDecision.Respond(
          redirect.responseCode().status(),
          NO_BODY,
          location,
          s.headerMutator().responseMutation(),
          filterConfigs);
    }
    ClusterRoute route = (ClusterRoute) action;
    if (s.clusterNotFound()) {
      return new RouteDecision.NoCluster(s.clusterNotFoundReason());
    }
    return forward(route, s, filterConfigs, upgradeAllowed(route, request));
  }

  private RouteFilterConfigs filterConfigs(RouteSelection s) {
    return perFilterConfigs.getOrDefault(s.route(), RouteFilterConfigs.NONE);
  }

  private RouteDecision.Respond respond(
      DirectResponseRoute direct, RouteSelection s, RouteFilterConfigs filterConfigs) {
    return new RouteDecision.Respond(
        direct.status(),
        directBody(direct),
        null,
        s.headerMutator().responseMutation(),
        filterConfigs);
  }

  private static RouteDecision.Forward forward(
      ClusterRoute route,
      RouteSelection s,
      RouteFilterConfigs filterConfigs,
      boolean upgradeAllowed) {
    return new RouteDecision.Forward(
        s.clusterName(),
        route.timeout(),
        route.idleTimeout().orElse(Duration.ZERO),
        s.hash(),
        s.pathRewriter().autoHostRewrite(),
        s.requestRewrite(),
        s.headerMutator().responseMutation(),
        upgradeAllowed,
        route.retry(),
        filterConfigs);
  }

  private byte[] directBody(DirectResponseRoute direct) {
    byte[] body = directBodies.get(direct);
    return body != null ? body : direct.body();
  }

  /** Route-level {@code upgrade_configs} override the listener's, per upgrade type. */
  private boolean upgradeAllowed(ClusterRoute route, HttpRequest request) {
    String type = RequestHeaders.upgradeType(request);
    if (type == null) {
      return true;
    }
    for (UpgradeConfig u : route.upgradeConfigs()) {
      if (u.upgradeType().equalsIgnoreCase(type)) {
        return u.enabled();
      }
    }
    return listenerUpgrades.contains(type);
  }
}
