package io.outrigger.api.model;

import static java.util.Objects.requireNonNull;

/**
 * One {@code lb_endpoints} entry of a cluster's {@code load_assignment}.
 *
 * @param address an IP literal for STATIC clusters, a host name or IP for DNS clusters
 * @param weight {@code load_balancing_weight}; default 1, at least 1
 */
public record EndpointConfig(SocketAddressConfig address, int weight) {
  public EndpointConfig {
    requireNonNull(address, "address");
    if (weight < 1) {
      throw new IllegalArgumentException("load_balancing_weight: " + weight + " (expected: >= 1)");
    }
  }
}
