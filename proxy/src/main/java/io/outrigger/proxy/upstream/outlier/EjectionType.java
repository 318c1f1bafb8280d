package io.outrigger.proxy.upstream.outlier;

/**
 * Why a host was found to be an outlier; Envoy's {@code OutlierEjectionType}. Each has its own
 * {@code enforcing_*} percentage and labels the ejection statistics with {@link #label()}.
 */
public enum EjectionType {
  CONSECUTIVE_5XX("consecutive_5xx"),
  CONSECUTIVE_GATEWAY_FAILURE("consecutive_gateway_failure"),
  CONSECUTIVE_LOCAL_ORIGIN_FAILURE("consecutive_local_origin_failure"),
  SUCCESS_RATE("success_rate"),
  SUCCESS_RATE_LOCAL_ORIGIN("local_origin_success_rate"),
  FAILURE_PERCENTAGE("failure_percentage"),
  FAILURE_PERCENTAGE_LOCAL_ORIGIN("local_origin_failure_percentage");

  private final String label;

  EjectionType(String label) {
    this.label = label;
  }

  /** The {@code type} label of the ejection statistics, after Envoy's stat names. */
  public String label() {
    return label;
  }
}
