package io.outrigger.api.model;

/**
 * Envoy's {@code Cluster.LbPolicy}: how a host is picked for a new connection or request.
 *
 * <p>Envoy's {@code LOAD_BALANCING_POLICY_CONFIG} has no counterpart: the translator refuses it.
 */
public enum LbPolicy {
  /** Weighted round robin over the cluster's hosts; Envoy's default. */
  ROUND_ROBIN,
  /**
   * The power of two choices among random hosts, the one with fewer active requests wins; with
   * unequal weights, a weighted random pick over weights lowered by active requests.
   */
  LEAST_REQUEST,
  /** A random host, weighted by {@code load_balancing_weight}. */
  RANDOM,
  /** Ketama-style consistent hashing of the request hash onto a ring of hosts. */
  RING_HASH,
  /** Google's Maglev consistent hashing: a fixed-size lookup table of hosts. */
  MAGLEV,
  /** The cluster picks the host itself: an {@code ORIGINAL_DST} cluster's original destination. */
  CLUSTER_PROVIDED
}
