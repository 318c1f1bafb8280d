package io.outrigger.proxy.http.route;

import static java.util.Objects.requireNonNull;

import io.outrigger.api.model.http.ClusterRoute;
import io.outrigger.api.model.http.ClusterSpecifier;
import io.outrigger.api.model.http.Route;
import io.outrigger.api.model.http.RouteConfig;
import io.outrigger.api.model.http.VirtualHost;
import io.outrigger.proxy.http.route.HeaderMutator.LevelMutations;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.random.RandomGenerator;

/**
 * The routes of one {@link RouteConfig}, compiled once per config snapshot: lower-cased domains,
 * compiled patterns, a {@link PathIndex} per virtual host (first match wins, as in Envoy, without
 * trying every route), cumulative weights, rewriters and header mutators. Immutable and lock-free;
 * {@link #select} may run on any event loop.
 */
public final class RouteTable {
  private final RouteConfig config;
  private final VirtualHostSelector<CompiledHost> hosts;
  private final List<RouteSelection> fixedSelections;

  /**
   * @param fixed per route, its selection when nothing in it depends on the request (one cluster or
   *     no cluster, no {@code cluster_header}, no hash policy), made once and shared by every
   *     request that takes the route; null where the selection is made per request
   */
  private record CompiledHost(
      VirtualHost host, CompiledRoute[] routes, PathIndex index, RouteSelection[] fixed) {
    CompiledHost(VirtualHost host, CompiledRoute[] routes) {
      this(
          host,
          routes,
          new PathIndex(
              host.routes().stream().map(Route::match).toList(),
              Arrays.stream(routes).map(CompiledRoute::matcher).toArray(RequestMatcher[]::new)),
          Arrays.stream(routes)
              .map(r -> r.variesPerRequest() ? null : selection(host, r, null, null))
              .toArray(RouteSelection[]::new));
    }
  }

  /** One route with everything its selection needs precomputed. */
  private record CompiledRoute(
      Route route,
      RequestMatcher matcher,
      String[] clusters,
      long[] cumulativeWeights,
      String clusterHeader,
      RequestHasher hasher,
      PathRewriter rewriter,
      HeaderMutator mutator,
      RequestRewrite requestRewrite) {
    CompiledRoute(
        Route route,
        RequestMatcher matcher,
        String[] clusters,
        long[] cumulativeWeights,
        String clusterHeader,
        RequestHasher hasher,
        PathRewriter rewriter,
        HeaderMutator mutator) {
      this(
          route,
          matcher,
          clusters,
          cumulativeWeights,
          clusterHeader,
          hasher,
          rewriter,
          mutator,
          new RequestRewrite(rewriter, mutator));
    }

    /** Whether selecting this route reads the request or draws a random number. */
    boolean variesPerRequest() {
      return route.action() instanceof ClusterRoute
          && (clusterHeader != null || clusters.length != 1 || hasher.readsRequest());
    }
  }

  public RouteTable(RouteConfig config) {
    this.config = requireNonNull(config, "config");
    LevelMutations configLevel =
        new LevelMutations(config.requestHeaders(), config.responseHeaders());
    List<CompiledHost> compiled = new ArrayList<>();
    for (VirtualHost host : config.virtualHosts()) {
      LevelMutations hostLevel = new LevelMutations(host.requestHeaders(), host.responseHeaders());
      CompiledRoute[] routes =
          host.routes().stream()
              .map(r -> compile(r, hostLevel, configLevel))
              .toArray(CompiledRoute[]::new);
      compiled.add(new CompiledHost(host, routes));
    }
    this.hosts = new VirtualHostSelector<>(compiled, h -> h.host().domains());
    this.fixedSelections =
        compiled.stream().flatMap(h -> Arrays.stream(h.fixed())).filter(Objects::nonNull).toList();
  }

  /**
   * The selections made once with the table: {@link #select} returns the same instance for every
   * request that takes a route whose selection reads nothing of the request. A caller can derive
   * what it needs from each of them once too, and find it again by identity.
   */
  public List<RouteSelection> fixedSelections() {
    return fixedSelections;
  }

  public RouteConfig config() {
    return config;
  }

  /**
   * Selects the route of a request.
   *
   * @param req the request
   * @param random draws the weighted-cluster pick; seeded in tests
   * @return null when no virtual host or no route matches (the caller answers 404), else the
   *     selection
   */
  public RouteSelection select(RouteRequest req, RandomGenerator random) {
    CompiledHost host = hosts.select(req.authority() == null ? "" : req.authority());
    if (host == null) {
      return null;
    }
    String target = req.path();
    int first = host.index().first(req, target, PathRewriter.queryStart(target));
    if (first < 0) {
      return null;
    }
    RouteSelection fixed = host.fixed()[first];
    return fixed != null ? fixed : selection(host.host(), host.routes()[first], req, random);
  }

  private static RouteSelection selection(
      VirtualHost host, CompiledRoute route, RouteRequest req, RandomGenerator random) {
    String cluster = null;
    String reason = null;
    OptionalLong hash = OptionalLong.empty();
    if (route.route().action() instanceof ClusterRoute) {
      if (route.clusterHeader() != null) {
        cluster = req.header(route.clusterHeader());
        if (cluster == null || cluster.isEmpty()) {
          cluster = null;
          reason = "cluster_header \"" + route.clusterHeader() + "\" absent from the request";
        }
      } else if (route.clusters().length == 1) {
        cluster = route.clusters()[0];
      } else {
        cluster = pick(route, random);
      }
      hash = route.hasher().hash(req);
    }
    return new RouteSelection(
        host,
        route.route(),
        cluster,
        reason,
        hash,
        route.rewriter(),
        route.mutator(),
        route.requestRewrite());
  }

  private static String pick(CompiledRoute route, RandomGenerator random) {
    long[] cumulative = route.cumulativeWeights();
    long draw = random.nextLong(cumulative[cumulative.length - 1]);
    for (int i = 0; i < cumulative.length; i++) {
      if (draw < cumulative[i]) {
        return route.clusters()[i];
      }
    }
    throw new AssertionError("draw below the total weight");
  }

  private static CompiledRoute compile(
      Route route, LevelMutations hostLevel, LevelMutations configLevel) {
    HeaderMutator mutator =
        HeaderMutator.of(
            new LevelMutations(route.requestHeaders(), route.responseHeaders()),
            hostLevel,
            configLevel);
    RequestMatcher matcher = new RequestMatcher(route.match());
    if (!(route.action() instanceof ClusterRoute action)) {
      return new CompiledRoute(
          route,
          matcher,
          new String[0],
          new long[0],
          null,
          new RequestHasher(List.of()),
          PathRewriter.NONE,
          mutator);
    }
    String[] clusters;
    long[] cumulative;
    String header = null;
    if (action.cluster() instanceof ClusterSpecifier.WeightedClusters weighted) {
      clusters = new String[weighted.clusters().size()];
      cumulative = new long[clusters.length];
      long sum = 0;
      for (int i = 0; i < clusters.length; i++) {
        clusters[i] = weighted.clusters().get(i).name();
        sum += weighted.clusters().get(i).weight();
        cumulative[i] = sum;
      }
    } else if (action.cluster() instanceof ClusterSpecifier.SingleCluster single) {
      clusters = new String[] {single.name()};
      cumulative = new long[] {1};
    } else {
      clusters = new String[0];
      cumulative = new long[0];
      header = ((ClusterSpecifier.ClusterHeader) action.cluster()).headerName();
    }
    return new CompiledRoute(
        route,
        matcher,
        clusters,
        cumulative,
        header,
        new RequestHasher(action.hashPolicies()),
        PathRewriter.of(action, route.match().path(), route.match().caseSensitive()),
        mutator);
  }
}
