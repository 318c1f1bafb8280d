package io.outrigger.controlplane.registry;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/**
 * One registered service instance: a host of the EDS service {@code cluster} until {@code
 * expiresAt}, unless a heartbeat (the same registration again) moves that on.
 *
 * @param cluster the EDS service name (a {@code ClusterLoadAssignment}'s {@code cluster_name})
 * @param address an IP literal
 * @param port 1..65535
 * @param metadata free strings, served as the endpoint's {@code metadata.filter_metadata.outrigger}
 * @param ttl how long it lives without a heartbeat
 * @param registeredAt when it was first registered
 * @param expiresAt when it goes, unless renewed
 */
public record Registration(
    String cluster,
    String address,
    int port,
    Map<String, String> metadata,
    Duration ttl,
    Instant registeredAt,
    Instant expiresAt) {
  public Registration {
    requireNonNull(cluster, "cluster");
    requireNonNull(address, "address");
    metadata = java.util.Collections.unmodifiableMap(new TreeMap<>(metadata));
    requireNonNull(ttl, "ttl");
    requireNonNull(registeredAt, "registeredAt");
    requireNonNull(expiresAt, "expiresAt");
  }

  /** The key that a heartbeat and a deregistration name: {@code cluster/address/port}. */
  public Key key() {
    return new Key(cluster, address, port);
  }

  /** What identifies a registration. */
  public record Key(String cluster, String address, int port) {
    @Override
    public String toString() {
      return cluster + "/" + address + "/" + port;
    }
  }
}
