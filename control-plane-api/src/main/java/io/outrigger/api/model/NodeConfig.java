package io.outrigger.api.model;

import static java.util.Objects.requireNonNull;

/**
 * Envoy's {@code core.v3.Node}: who this sidecar is to the control plane.
 *
 * @param id the node id; empty when the bootstrap gives none
 * @param cluster the service cluster the node belongs to; empty when not given
 */
public record NodeConfig(String id, String cluster) {
  public static final NodeConfig EMPTY = new NodeConfig("", "");

  public NodeConfig {
    requireNonNull(id, "id");
    requireNonNull(cluster, "cluster");
  }
}
