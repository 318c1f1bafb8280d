package io.outrigger.proxy.upstream;

/**
 * Why a host is not used for new requests; Envoy's {@code Host::HealthFlag}, as far as Outrigger
 * has them. A host with no flag set is healthy. {@code /clusters} prints the set flags.
 */
public enum HealthFlag {
  /** Active health checking says the host is unhealthy, or it has not passed a check yet. */
  FAILED_ACTIVE_HC("failed_active_hc"),
  /** Outlier detection ejected the host. */
  FAILED_OUTLIER_CHECK("failed_outlier_check");

  private final String envoyName;

  HealthFlag(String envoyName) {
    this.envoyName = envoyName;
  }

  /** The name Envoy's {@code /clusters} prints in {@code health_flags}. */
  public String envoyName() {
    return envoyName;
  }

  int bit() {
    return 1 << ordinal();
  }
}
