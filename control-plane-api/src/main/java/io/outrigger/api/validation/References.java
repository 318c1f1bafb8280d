package io.outrigger.api.validation;

import io.outrigger.api.model.FilterChainConfig;
import io.outrigger.api.model.HttpConnectionManagerConfig;
import io.outrigger.api.model.ListenerConfig;
import io.outrigger.api.model.NetworkFilterConfig;
import io.outrigger.api.model.TcpProxyConfig;
import io.outrigger.api.model.http.ClusterRoute;
import io.outrigger.api.model.http.ClusterSpecifier;
import io.outrigger.api.model.http.RouteConfig;
import io.outrigger.api.model.http.RouteSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The names one resource refers to, each with the field path that writes it, so that a refusal of
 * an unknown name points at the field: the clusters of {@code tcp_proxy} and of routes, and the
 * route configurations of {@code rds}. {@code cluster_header} routes name no cluster in advance.
 */
final class References {
  /** A name and where it is written. */
  record Reference(String name, String path) {}

  private References() {}

  /** The clusters a route configuration forwards to; {@code path} is the route configuration's. */
  static List<Reference> clusters(RouteConfig routes, String path) {
    List<Reference> out = new ArrayList<>();
    for (int v = 0; v < routes.virtualHosts().size(); v++) {
      var host = routes.virtualHosts().get(v);
      String hostPath = Paths.item(path, "virtual_hosts", v);
      for (int r = 0; r < host.routes().size(); r++) {
        if (!(host.routes().get(r).action() instanceof ClusterRoute route)) {
          continue;
        }
        String routePath = Paths.field(Paths.item(hostPath, "routes", r), "route");
        if (route.cluster() instanceof ClusterSpecifier.SingleCluster single) {
          out.add(new Reference(single.name(), Paths.field(routePath, "cluster")));
        } else if (route.cluster() instanceof ClusterSpecifier.WeightedClusters weighted) {
          for (int i = 0; i < weighted.clusters().size(); i++) {
            out.add(
                new Reference(
                    weighted.clusters().get(i).name(),
                    Paths.field(Paths.item(routePath, "weighted_clusters.clusters", i), "name")));
          }
        }
      }
    }
    return out;
  }

  /**
   * The clusters a listener names itself: its {@code tcp_proxy} clusters and the clusters of its
   * inline routes (not those of RDS route configurations).
   */
  static List<Reference> clusters(ListenerConfig listener, String path) {
    List<Reference> out = new ArrayList<>();
    forEachFilter(
        listener,
        path,
        (filter, filterPath) -> {
          String configPath = Paths.field(filterPath, "typed_config");
          if (filter instanceof TcpProxyConfig tcpProxy) {
            out.add(new Reference(tcpProxy.cluster(), Paths.field(configPath, "cluster")));
          } else if (filter instanceof HttpConnectionManagerConfig hcm
              && hcm.routeSource() instanceof RouteSource.InlineRoutes inline) {
            out.addAll(clusters(inline.routeConfig(), Paths.field(configPath, "route_config")));
          }
        });
    return out;
  }

  /** The route configurations a listener's connection managers name over RDS. */
  static List<Reference> routeConfigs(ListenerConfig listener, String path) {
    List<Reference> out = new ArrayList<>();
    forEachFilter(
        listener,
        path,
        (filter, filterPath) -> {
          if (filter instanceof HttpConnectionManagerConfig hcm
              && hcm.routeSource() instanceof RouteSource.Rds rds) {
            out.add(
                new Reference(
                    rds.routeConfigName(),
                    Paths.field(filterPath, "typed_config.rds.route_config_name")));
          }
        });
    return out;
  }

  private interface FilterVisitor {
    void visit(NetworkFilterConfig filter, String filterPath);
  }

  private static void forEachFilter(ListenerConfig listener, String path, FilterVisitor visitor) {
    for (Map.Entry<String, FilterChainConfig> e : chains(listener, path).entrySet()) {
      FilterChainConfig chain = e.getValue();
      for (int f = 0; f < chain.filters().size(); f++) {
        visitor.visit(chain.filters().get(f), Paths.item(e.getKey(), "filters", f));
      }
    }
  }

  /**
   * Every chain of {@code listener} by its path: {@code filter_chains[i]}, then {@code
   * default_filter_chain}.
   */
  static Map<String, FilterChainConfig> chains(ListenerConfig listener, String path) {
    Map<String, FilterChainConfig> out = new java.util.LinkedHashMap<>();
    for (int c = 0; c < listener.filterChains().size(); c++) {
      out.put(Paths.item(path, "filter_chains", c), listener.filterChains().get(c));
    }
    listener
        .defaultFilterChain()
        .ifPresent(d -> out.put(Paths.field(path, "default_filter_chain"), d));
    return out;
  }
}
