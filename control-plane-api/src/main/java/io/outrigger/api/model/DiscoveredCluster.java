package io.outrigger.api.model;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * A CDS resource translated: the cluster and, for an EDS cluster, the name of the {@link
 * ClusterLoadAssignmentConfig} that carries its hosts.
 *
 * @param config the cluster; for an EDS cluster its {@code endpoints} are empty, and the discovery
 *     client fills them from the assignment named {@code edsServiceName}
 * @param edsServiceName present exactly when {@code config.type()} is {@link DiscoveryType#EDS}
 */
public record DiscoveredCluster(ClusterConfig config, Optional<String> edsServiceName) {
  public DiscoveredCluster {
    requireNonNull(config, "config");
    requireNonNull(edsServiceName, "edsServiceName");
    if ((config.type() == DiscoveryType.EDS) != edsServiceName.isPresent()) {
      throw new IllegalArgumentException(
          "eds_cluster_config: an EDS service name goes with type EDS and only with it");
    }
  }

  /** The cluster's name. */
  public String name() {
    return config.name();
  }
}
