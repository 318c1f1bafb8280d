package io.outrigger.controlplane.resources;

import com.google.protobuf.Message;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.Address;
import io.envoyproxy.envoy.config.core.v3.Metadata;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.endpoint.v3.Endpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LbEndpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LocalityLbEndpoints;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.outrigger.api.model.DiscoveredCluster;
import io.outrigger.api.validation.ConfigException;
import io.outrigger.api.validation.ResourceSetTranslator;
import io.outrigger.api.validation.ResourceSetTranslator.Located;
import io.outrigger.config.ResourceFile;
import io.outrigger.controlplane.registry.Registration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Builds the snapshot of every node group from the folder and the endpoint registrations, each
 * validated whole with the sidecar's translators ({@link ResourceSetTranslator}). Registered
 * instances are added to their EDS service's assignment (a locality of their own), or make up the
 * assignment when the folder has none. Pure: no I/O, no clock.
 */
public final class SnapshotBuilder {
  /** The group of nodes whose {@code node.cluster} has no sub-folder. */
  public static final String DEFAULT_GROUP = "default";

  /** The filter-metadata key under which registration metadata is served. */
  public static final String METADATA_NAMESPACE = "outrigger";

  private SnapshotBuilder() {}

  /**
   * @param requireAssignments whether an EDS cluster with neither an assignment in the folder nor a
   *     registration is refused: true when the folder changed; false when only registrations did,
   *     so that a service whose last instance went away is served with no hosts rather than with
   *     the expired ones
   * @return every group's snapshot, {@link #DEFAULT_GROUP} included
   * @throws ConfigException the first refusal, with file (relative to the folder), line and field
   */
  public static Map<String, GroupSnapshot> build(
      FolderContents folder, List<Registration> registrations, boolean requireAssignments)
      throws ConfigException {
    Map<String, List<Registration>> registered =
        registrations.stream()
            .collect(
                Collectors.groupingBy(Registration::cluster, TreeMap::new, Collectors.toList()));
    Map<String, GroupSnapshot> out = new LinkedHashMap<>();
    List<String> groups = new ArrayList<>();
    groups.add(DEFAULT_GROUP);
    folder.groups().stream().filter(g -> !g.equals(DEFAULT_GROUP)).forEach(groups::add);
    for (String group : groups) {
      out.put(group, group(folder, group, registered, requireAssignments));
    }
    return out;
  }

  private static GroupSnapshot group(
      FolderContents folder,
      String group,
      Map<String, List<Registration>> registered,
      boolean requireAssignments)
      throws ConfigException {
    List<FolderContents.Located> resources = folder.resourcesFor(group);
    ResourceSetTranslator.Translated translated =
        validate(folder, resources, requireAssignments ? registered.keySet() : null);
    List<Message> protos = new ArrayList<>();
    Map<String, ClusterLoadAssignment> assignments = new TreeMap<>();
    for (FolderContents.Located r : resources) {
      if (r.proto() instanceof ClusterLoadAssignment a) {
        assignments.put(a.getClusterName(), a);
      } else {
        protos.add(r.proto());
      }
    }
    for (DiscoveredCluster cluster : translated.clusters().values()) {
      cluster
          .edsServiceName()
          .ifPresent(
              service ->
                  assignments.put(
                      service,
                      withRegistrations(
                          assignments.get(service),
                          service,
                          registered.getOrDefault(service, List.of()))));
    }
    protos.addAll(assignments.values());
    return GroupSnapshot.of(protos);
  }

  /**
   * @param registeredServices the services with registrations, or null to not require an assignment
   *     for EDS clusters
   */
  private static ResourceSetTranslator.Translated validate(
      FolderContents folder, List<FolderContents.Located> resources, Set<String> registeredServices)
      throws ConfigException {
    List<Located<Listener>> listeners = new ArrayList<>();
    List<Located<RouteConfiguration>> routes = new ArrayList<>();
    List<Located<Cluster>> clusters = new ArrayList<>();
    List<Located<ClusterLoadAssignment>> assignments = new ArrayList<>();
    for (FolderContents.Located r : resources) {
      String source = r.file().file().source();
      String path = ResourceFile.path(r.index());
      switch (r.type()) {
        case LISTENER -> listeners.add(new Located<>((Listener) r.proto(), source, path));
        case ROUTE -> routes.add(new Located<>((RouteConfiguration) r.proto(), source, path));
        case CLUSTER -> clusters.add(new Located<>((Cluster) r.proto(), source, path));
        case ENDPOINT ->
            assignments.add(new Located<>((ClusterLoadAssignment) r.proto(), source, path));
      }
    }
    Set<String> services =
        registeredServices != null ? registeredServices : allEdsServices(clusters);
    try {
      return ResourceSetTranslator.translate(listeners, routes, clusters, assignments, services);
    } catch (ConfigException e) {
      int line = folder.file(e.source()).map(f -> f.file().lineOf(e.fieldPath())).orElse(0);
      throw e.withLine(line);
    }
  }

  private static Set<String> allEdsServices(List<Located<Cluster>> clusters) {
    return clusters.stream()
        .map(Located::proto)
        .filter(c -> c.getType() == Cluster.DiscoveryType.EDS)
        .map(
            c ->
                c.getEdsClusterConfig().getServiceName().isEmpty()
                    ? c.getName()
                    : c.getEdsClusterConfig().getServiceName())
        .collect(Collectors.toSet());
  }

  private static ClusterLoadAssignment withRegistrations(
      ClusterLoadAssignment folder, String service, List<Registration> registrations) {
    ClusterLoadAssignment.Builder out =
        folder == null
            ? ClusterLoadAssignment.newBuilder().setClusterName(service)
            : folder.toBuilder();
    if (registrations.isEmpty()) {
      return out.build();
    }
    LocalityLbEndpoints.Builder locality = LocalityLbEndpoints.newBuilder();
    for (Registration r : registrations) {
      locality.addLbEndpoints(lbEndpoint(r));
    }
    return out.addEndpoints(locality).build();
  }

  private static LbEndpoint lbEndpoint(Registration r) {
    LbEndpoint.Builder endpoint =
        LbEndpoint.newBuilder()
            .setEndpoint(
                Endpoint.newBuilder()
                    .setAddress(
                        Address.newBuilder()
                            .setSocketAddress(
                                SocketAddress.newBuilder()
                                    .setAddress(r.address())
                                    .setPortValue(r.port()))));
    if (!r.metadata().isEmpty()) {
      Struct.Builder fields = Struct.newBuilder();
      r.metadata()
          .forEach((k, v) -> fields.putFields(k, Value.newBuilder().setStringValue(v).build()));
      endpoint.setMetadata(
          Metadata.newBuilder().putFilterMetadata(METADATA_NAMESPACE, fields.build()));
    }
    return endpoint.build();
  }
}
