package io.outrigger.api.model;

/** Envoy's {@code Cluster.DiscoveryType}: how a cluster learns its hosts. */
public enum DiscoveryType {
  /** The hosts are the IP addresses written in {@code load_assignment}. */
  STATIC,
  /** Every name in {@code load_assignment} is resolved; every address it yields is a host. */
  STRICT_DNS,
  /** One name, resolved on refresh; new connections go to its first address. */
  LOGICAL_DNS,
  /**
   * The hosts are those of the {@code ClusterLoadAssignment} named by {@code
   * eds_cluster_config.service_name} (default: the cluster's name), discovered over EDS; only in a
   * CDS resource, never in a static bootstrap.
   */
  EDS,
  /**
   * No configured hosts: each connection goes to its original destination (the address an iptables
   * {@code REDIRECT} replaced, or a request header), a host made on first use and removed after
   * {@code cleanup_interval} unused; with {@code lb_policy: CLUSTER_PROVIDED} only.
   */
  ORIGINAL_DST
}
