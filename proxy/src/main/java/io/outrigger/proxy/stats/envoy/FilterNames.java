package io.outrigger.proxy.stats.envoy;

import io.micrometer.core.instrument.Meter;

/**
 * Envoy's names of the filters' meters, labelled {@code stat_prefix}: {@code
 * http.<hcm>.fault.aborts_injected}, {@code <prefix>.http_local_rate_limit.rate_limited}, {@code
 * http.<hcm>.rbac.allowed}, {@code <prefix>.rbac.denied} (the network filter), {@code
 * connection_limit.<prefix>.limited_connections}, and Outrigger's partition filter under {@code
 * http.<hcm>.partition.}.
 */
final class FilterNames {
  private FilterNames() {}

  static StatName name(Meter.Id id, String statPrefix) {
    String n = id.getName();
    String http = "http." + statPrefix + ".";
    if (n.startsWith("fault_")) {
      return StatName.of(http + "fault." + n.substring("fault_".length()));
    }
    if (n.startsWith("http_local_rate_limit_")) {
      return StatName.of(
          statPrefix + ".http_local_rate_limit." + n.substring("http_local_rate_limit_".length()));
    }
    if (n.startsWith("connection_limit_")) {
      return StatName.of(
          "connection_limit." + statPrefix + "." + n.substring("connection_limit_".length()));
    }
    if (n.startsWith("rbac_")) {
      // Envoy puts the rules' stat prefix before the stat as it is, dot or none.
      String rules = id.getTag("rules_stat_prefix");
      return StatName.of(
          ("network".equals(id.getTag("filter")) ? statPrefix + "." : http)
              + "rbac."
              + (rules == null ? "" : rules)
              + n.substring("rbac_".length()));
    }
    if (n.equals("partition_requests")) {
      return StatName.of(
          http + "partition.requests." + id.getTag("action"),
          "peer",
          String.valueOf(id.getTag("peer")));
    }
    if (n.equals("partition_lose_passed")) {
      return StatName.of(http + "partition.lose_passed", "peer", String.valueOf(id.getTag("peer")));
    }
    if (n.startsWith("partition_")) {
      return StatName.of(http + "partition." + n.substring("partition_".length()));
    }
    return StatName.of(statPrefix + "." + n);
  }
}
