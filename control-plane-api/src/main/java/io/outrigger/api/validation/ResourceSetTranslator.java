package io.outrigger.api.validation;

import static java.util.Objects.requireNonNull;

import com.google.protobuf.Message;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.outrigger.api.model.ClusterLoadAssignmentConfig;
import io.outrigger.api.model.DiscoveredCluster;
import io.outrigger.api.model.ListenerConfig;
import io.outrigger.api.model.http.RouteConfig;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Validates a whole set of xDS resources — what one snapshot of a control plane holds — and
 * translates it: every resource translates on its own (the same translators as a static bootstrap,
 * plus EDS clusters, EDS resources and RDS), names are unique per type, and the references hold:
 * every {@code rds.route_config_name} names a route configuration of the set, every route and
 * {@code tcp_proxy} names a cluster of the set, every EDS cluster has its assignment.
 *
 * <p>Refusals name the resource's {@code source} (a file) and a field path under its {@code path}.
 * No I/O; runs on the caller's thread.
 */
public final class ResourceSetTranslator {

  /**
   * One resource and where it came from, for messages.
   *
   * @param proto the resource
   * @param source the file (or request) it was read from
   * @param path its place there, e.g. {@code [3]}; field paths of refusals start with it
   */
  public record Located<T extends Message>(T proto, String source, String path) {
    public Located {
      requireNonNull(proto, "proto");
      requireNonNull(source, "source");
      requireNonNull(path, "path");
    }

    String where() {
      return source.isEmpty() ? path : source + " " + path;
    }
  }

  /** The resources of a set, each type keyed by resource name in the order given. */
  public record Translated(
      Map<String, ListenerConfig> listeners,
      Map<String, RouteConfig> routes,
      Map<String, DiscoveredCluster> clusters,
      Map<String, ClusterLoadAssignmentConfig> assignments) {
    public Translated {
      listeners = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(listeners));
      routes = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(routes));
      clusters = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(clusters));
      assignments = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(assignments));
    }
  }

  private interface Translator<T extends Message, R> {
    R translate(T proto, String path) throws ConfigException;
  }

  private ResourceSetTranslator() {}

  /**
   * @param registeredServices EDS service names that have hosts from elsewhere (endpoint
   *     registrations), so that an EDS cluster with no {@code ClusterLoadAssignment} of its own is
   *     not refused
   * @throws ConfigException the first refusal, with its resource's source
   */
  public static Translated translate(
      List<Located<Listener>> listeners,
      List<Located<RouteConfiguration>> routes,
      List<Located<Cluster>> clusters,
      List<Located<ClusterLoadAssignment>> assignments,
      Set<String> registeredServices)
      throws ConfigException {
    Map<String, Located<Cluster>> clusterAt = new LinkedHashMap<>();
    Map<String, DiscoveredCluster> clusterConfigs =
        each(
            "cluster", clusters, Cluster::getName, ClusterTranslator::translateResource, clusterAt);
    Map<String, ClusterLoadAssignmentConfig> assignmentConfigs =
        each(
            "cluster load assignment",
            assignments,
            ClusterLoadAssignment::getClusterName,
            ClusterLoadAssignmentTranslator::translate,
            new LinkedHashMap<>());
    Map<String, RouteConfig> routeConfigs =
        each(
            "route configuration",
            routes,
            RouteConfiguration::getName,
            ResourceSetTranslator::routeConfig,
            new LinkedHashMap<>());
    Map<String, Located<Listener>> listenerAt = new LinkedHashMap<>();
    Map<String, ListenerConfig> listenerConfigs =
        each("listener", listeners, Listener::getName, ListenerTranslator::translate, listenerAt);
    requireAssignments(clusterConfigs, clusterAt, assignmentConfigs.keySet(), registeredServices);
    requireReferences(listenerConfigs, listenerAt, routeConfigs, routes, clusterConfigs.keySet());
    return new Translated(listenerConfigs, routeConfigs, clusterConfigs, assignmentConfigs);
  }

  private static RouteConfig routeConfig(RouteConfiguration proto, String path)
      throws ConfigException {
    if (proto.getName().isEmpty()) {
      throw ConfigException.at(
          Paths.field(path, "name"), "required (expected: the name listeners give in rds)");
    }
    return RouteConfigTranslator.translate(proto, path);
  }

  private static <T extends Message, R> Map<String, R> each(
      String kind,
      List<Located<T>> resources,
      java.util.function.Function<T, String> name,
      Translator<T, R> translator,
      Map<String, Located<T>> at)
      throws ConfigException {
    Map<String, R> out = new LinkedHashMap<>();
    for (Located<T> resource : resources) {
      try {
        R translated = translator.translate(resource.proto(), resource.path());
        String key = name.apply(resource.proto());
        Located<T> first = at.putIfAbsent(key, resource);
        if (first != null) {
          String field = kind.equals("cluster load assignment") ? "cluster_name" : "name";
          throw ConfigException.at(
              Paths.field(resource.path(), field),
              "duplicate " + kind + " name \"" + key + "\" (first at " + first.where() + ")");
        }
        out.put(key, translated);
      } catch (ConfigException e) {
        throw e.withSource(resource.source());
      }
    }
    return out;
  }

  private static void requireAssignments(
      Map<String, DiscoveredCluster> clusters,
      Map<String, Located<Cluster>> clusterAt,
      Set<String> assignments,
      Set<String> registeredServices)
      throws ConfigException {
    for (DiscoveredCluster cluster : clusters.values()) {
      if (cluster.edsServiceName().isEmpty()) {
        continue;
      }
      String service = cluster.edsServiceName().get();
      if (!assignments.contains(service) && !registeredServices.contains(service)) {
        Located<Cluster> at = clusterAt.get(cluster.name());
        throw new ConfigException(
            at.source(),
            Paths.field(at.path(), "eds_cluster_config"),
            "no ClusterLoadAssignment named \""
                + service
                + "\" and no registered endpoints for it (expected: a ClusterLoadAssignment"
                + " resource with cluster_name: "
                + service
                + ")");
      }
    }
  }

  private static void requireReferences(
      Map<String, ListenerConfig> listeners,
      Map<String, Located<Listener>> listenerAt,
      Map<String, RouteConfig> routes,
      List<Located<RouteConfiguration>> routeResources,
      Set<String> clusters)
      throws ConfigException {
    for (Located<RouteConfiguration> resource : routeResources) {
      RouteConfig routeConfig = routes.get(resource.proto().getName());
      for (References.Reference ref : References.clusters(routeConfig, resource.path())) {
        requireKnown("cluster", ref, clusters, resource.source());
      }
    }
    for (Map.Entry<String, ListenerConfig> e : listeners.entrySet()) {
      Located<Listener> at = listenerAt.get(e.getKey());
      for (References.Reference ref : References.clusters(e.getValue(), at.path())) {
        requireKnown("cluster", ref, clusters, at.source());
      }
      for (References.Reference ref : References.routeConfigs(e.getValue(), at.path())) {
        requireKnown("route configuration", ref, routes.keySet(), at.source());
      }
    }
  }

  private static void requireKnown(
      String kind, References.Reference ref, Set<String> known, String source)
      throws ConfigException {
    if (!known.contains(ref.name())) {
      throw new ConfigException(source, ref.path(), "unknown " + kind + " \"" + ref.name() + "\"");
    }
  }
}
