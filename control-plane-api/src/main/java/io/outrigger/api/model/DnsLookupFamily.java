package io.outrigger.api.model;

/** Envoy's {@code Cluster.DnsLookupFamily}: which address families DNS clusters ask for. */
public enum DnsLookupFamily {
  /** IPv6 first, IPv4 if there is none; Envoy's default. */
  AUTO,
  V4_ONLY,
  V6_ONLY,
  /** IPv4 first, IPv6 if there is none. */
  V4_PREFERRED,
  /** Both families. */
  ALL
}
