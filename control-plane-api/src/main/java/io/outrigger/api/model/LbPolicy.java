package io.outrigger.api.model;

/** Envoy's {@code Cluster.LbPolicy}: how a host is picked for a new connection or request. */
public enum LbPolicy {
  /** Weighted round robin over the cluster's hosts; Envoy's default. */
  ROUND_ROBIN
}
