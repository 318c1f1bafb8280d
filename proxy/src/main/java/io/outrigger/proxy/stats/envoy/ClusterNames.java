package io.outrigger.proxy.stats.envoy;

import io.micrometer.core.instrument.Meter;

/** Envoy's names of the meters labelled {@code cluster}: {@code cluster.<name>.…}. */
final class ClusterNames {
  private ClusterNames() {}

  /**
   * @param scope {@code cluster.<name>.}
   */
  static StatName name(Meter.Id id, String scope) {
    String n = id.getName();
    if (n.equals("upstream_rq_total")) {
      return StatName.of(scope + "upstream_rq_" + id.getTag("response_code_class"));
    }
    if (n.equals("upstream_rq_started")) {
      return StatName.of(scope + "upstream_rq_total");
    }
    if (n.equals("upstream_rq_code")) {
      return StatName.of(scope + "upstream_rq_" + id.getTag("response_code"));
    }
    if (n.startsWith("circuit_breakers_")) {
      return StatName.of(
          scope + "circuit_breakers.default." + n.substring("circuit_breakers_".length()));
    }
    if (n.startsWith("outlier_detection_")) {
      String type = id.getTag("type");
      return StatName.of(
          scope
              + "outlier_detection."
              + n.substring("outlier_detection_".length())
              + (type == null ? "" : "_" + type));
    }
    if (n.startsWith("health_check_")) {
      return StatName.of(scope + "health_check." + n.substring("health_check_".length()));
    }
    return StatName.of(scope + n);
  }
}
