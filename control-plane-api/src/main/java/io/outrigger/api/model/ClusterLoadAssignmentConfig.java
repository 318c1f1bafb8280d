package io.outrigger.api.model;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * Envoy's {@code endpoint.v3.ClusterLoadAssignment} as an EDS resource: the hosts of the EDS
 * clusters whose {@code service_name} is {@link #clusterName()}.
 *
 * @param clusterName the resource's name ({@code cluster_name}); an EDS cluster's {@code
 *     eds_cluster_config.service_name}, or the cluster's own name when that is not set
 * @param endpoints the {@code lb_endpoints}, flattened over localities; may be empty (a cluster
 *     with no hosts)
 */
public record ClusterLoadAssignmentConfig(String clusterName, List<EndpointConfig> endpoints) {
  public ClusterLoadAssignmentConfig {
    requireNonNull(clusterName, "clusterName");
    endpoints = List.copyOf(requireNonNull(endpoints, "endpoints"));
    if (clusterName.isEmpty()) {
      throw new IllegalArgumentException(
          "cluster_name: empty (expected: the EDS service name of a cluster)");
    }
  }
}
