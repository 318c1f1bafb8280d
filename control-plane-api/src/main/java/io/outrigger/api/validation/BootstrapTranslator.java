package io.outrigger.api.validation;

import io.envoyproxy.envoy.config.bootstrap.v3.Admin;
import io.envoyproxy.envoy.config.bootstrap.v3.Bootstrap;
import io.outrigger.api.model.AdminConfig;
import io.outrigger.api.model.BootstrapConfig;
import io.outrigger.api.model.ClusterConfig;
import io.outrigger.api.model.DynamicResourcesConfig;
import io.outrigger.api.model.FilterChainConfig;
import io.outrigger.api.model.HttpConnectionManagerConfig;
import io.outrigger.api.model.ListenerConfig;
import io.outrigger.api.model.NetworkFilterConfig;
import io.outrigger.api.model.NodeConfig;
import io.outrigger.api.model.TcpProxyConfig;
import io.outrigger.api.model.http.RouteConfig;
import io.outrigger.api.model.http.RouteSource;
import io.outrigger.api.model.overload.OverloadManagerConfig;
import io.outrigger.api.model.stats.StatsConfig;
import io.outrigger.api.model.tls.SecretConfig;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Validates a whole {@code bootstrap.v3.Bootstrap} and translates it into {@link BootstrapConfig}:
 * every unsupported set field is refused by name, names are unique, and every {@code tcp_proxy} and
 * every route names a static cluster.
 */
public final class BootstrapTranslator {
  static final String ADMIN_ACCESS_LOG_PATH = "/dev/null";

  private BootstrapTranslator() {}

  /** Paths are rooted at the bootstrap: {@code static_resources.clusters[0].name}. */
  public static BootstrapConfig translate(Bootstrap proto) throws ConfigException {
    SupportedFieldsCheck.check(proto, "");
    // has*() first: a getter of an absent message initialises its generated class for nothing.
    NodeConfig node =
        proto.hasNode()
            ? new NodeConfig(proto.getNode().getId(), proto.getNode().getCluster())
            : NodeConfig.EMPTY;
    Optional<AdminConfig> admin = proto.hasAdmin() ? admin(proto.getAdmin()) : Optional.empty();
    Bootstrap.StaticResources resources = proto.getStaticResources();
    List<ClusterConfig> clusters = new ArrayList<>();
    Map<String, String> clusterPaths = new HashMap<>();
    Map<String, ClusterConfig> clustersByName = new HashMap<>();
    for (int i = 0; i < resources.getClustersCount(); i++) {
      String path = Paths.item("static_resources", "clusters", i);
      ClusterConfig cluster = ClusterTranslator.translate(resources.getClusters(i), path);
      requireUnique("cluster", cluster.name(), path, clusterPaths);
      clusters.add(cluster);
      clustersByName.put(cluster.name(), cluster);
    }
    List<ListenerConfig> listeners = new ArrayList<>();
    Map<String, String> listenerPaths = new HashMap<>();
    for (int i = 0; i < resources.getListenersCount(); i++) {
      String path = Paths.item("static_resources", "listeners", i);
      ListenerConfig listener = ListenerTranslator.translate(resources.getListeners(i), path);
      requireUnique("listener", listener.name(), path, listenerPaths);
      requireKnownClusters(listener, path, clusterPaths);
      listeners.add(listener);
    }
    Map<String, SecretConfig> secrets = new HashMap<>();
    Map<String, String> secretPaths = new HashMap<>();
    for (int i = 0; i < resources.getSecretsCount(); i++) {
      String path = Paths.item("static_resources", "secrets", i);
      SecretConfig secret = SecretTranslator.translate(resources.getSecrets(i), path);
      requireUnique("secret", secret.name(), path, secretPaths);
      secrets.put(secret.name(), secret);
    }
    Optional<DynamicResourcesConfig> dynamic = Optional.empty();
    if (proto.hasDynamicResources()) {
      if (node.id().isEmpty()) {
        throw ConfigException.at(
            "node.id", "required with dynamic_resources (the control plane knows a sidecar by it)");
      }
      dynamic =
          Optional.of(
              DynamicResourcesTranslator.translate(proto.getDynamicResources(), clustersByName));
    }
    Optional<OverloadManagerConfig> overload =
        proto.hasOverloadManager()
            ? Optional.of(OverloadManagerTranslator.translate(proto.getOverloadManager()))
            : Optional.empty();
    StatsConfig stats =
        proto.hasStatsConfig()
            ? StatsConfigTranslator.translate(proto.getStatsConfig())
            : StatsConfig.DEFAULT;
    return new BootstrapConfig(node, admin, listeners, clusters, dynamic, secrets, overload, stats);
  }

  private static Optional<AdminConfig> admin(Admin admin) throws ConfigException {
    String logPath = admin.getAccessLogPath();
    if (!logPath.isEmpty() && !logPath.equals(ADMIN_ACCESS_LOG_PATH)) {
      throw ConfigException.at(
          "admin.access_log_path",
          "\""
              + logPath
              + "\" not supported (expected: \"/dev/null\"; admin access logging does not exist"
              + " yet)");
    }
    if (!admin.hasAddress()) {
      return Optional.empty();
    }
    return Optional.of(
        new AdminConfig(AddressTranslator.translateBind(admin.getAddress(), "admin.address")));
  }

  private static void requireUnique(
      String kind, String name, String path, Map<String, String> firstPaths)
      throws ConfigException {
    String first = firstPaths.putIfAbsent(name, path);
    if (first != null) {
      throw ConfigException.at(
          Paths.field(path, "name"),
          "duplicate " + kind + " name \"" + name + "\" (first at " + first + ")");
    }
  }

  private static void requireKnownClusters(
      ListenerConfig listener, String path, Map<String, String> clusterPaths)
      throws ConfigException {
    for (Map.Entry<String, FilterChainConfig> e : References.chains(listener, path).entrySet()) {
      FilterChainConfig chain = e.getValue();
      for (int f = 0; f < chain.filters().size(); f++) {
        NetworkFilterConfig filter = chain.filters().get(f);
        String filterPath = Paths.item(e.getKey(), "filters", f);
        if (filter instanceof TcpProxyConfig tcpProxy
            && !clusterPaths.containsKey(tcpProxy.cluster())) {
          throw ConfigException.at(
              Paths.field(filterPath, "typed_config.cluster"),
              "unknown cluster \"" + tcpProxy.cluster() + "\"");
        }
        if (filter instanceof HttpConnectionManagerConfig hcm) {
          requireKnownClusters(
              hcm.routeSource(), Paths.field(filterPath, "typed_config"), clusterPaths);
        }
      }
    }
  }

  /**
   * Routes name static clusters, as {@code validate_clusters} makes Envoy check for a static route
   * configuration; {@code cluster_header} routes are exempt, and RDS is refused: there is no
   * discovery yet.
   */
  private static void requireKnownClusters(
      RouteSource source, String path, Map<String, String> clusterPaths) throws ConfigException {
    if (source instanceof RouteSource.Rds) {
      throw ConfigException.at(
          Paths.field(path, "rds"),
          "not supported in a static bootstrap (there is no route discovery yet); write the"
              + " routes inline in route_config");
    }
    RouteConfig routes = ((RouteSource.InlineRoutes) source).routeConfig();
    for (References.Reference ref :
        References.clusters(routes, Paths.field(path, "route_config"))) {
      requireKnownCluster(ref.name(), ref.path(), clusterPaths);
    }
  }

  private static void requireKnownCluster(
      String cluster, String path, Map<String, String> clusterPaths) throws ConfigException {
    if (!clusterPaths.containsKey(cluster)) {
      throw ConfigException.at(path, "unknown cluster \"" + cluster + "\"");
    }
  }
}
