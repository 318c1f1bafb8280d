package io.outrigger.filters.http.fault;

/** The request headers Envoy's fault filter reads (with Envoy's default {@code x-envoy} prefix). */
public final class FaultHeaders {
  /** With {@code header_delay}: the delay in milliseconds. */
  public static final String DELAY_REQUEST = "x-envoy-fault-delay-request";

  /** With {@code header_delay}: lowers the delay percentage's numerator. */
  public static final String DELAY_REQUEST_PERCENTAGE = "x-envoy-fault-delay-request-percentage";

  /** With {@code header_abort}: the HTTP status to answer, 200..599. */
  public static final String ABORT_REQUEST = "x-envoy-fault-abort-request";

  /** With {@code header_abort}: the gRPC status to answer (with HTTP 200). */
  public static final String ABORT_GRPC_REQUEST = "x-envoy-fault-abort-grpc-request";

  /** With {@code header_abort}: lowers the abort percentage's numerator. */
  public static final String ABORT_REQUEST_PERCENTAGE = "x-envoy-fault-abort-request-percentage";

  /** Matched against {@code downstream_nodes}. */
  public static final String DOWNSTREAM_SERVICE_NODE = "x-envoy-downstream-service-node";

  private FaultHeaders() {}

  /**
   * An untrusted numeric header, as Envoy reads it: only the first value, a decimal integer in
   * {@code 0..max}; anything else is -1.
   */
  static long parse(String value, long max) {
    if (value == null || value.isEmpty() || value.length() > 19) {
      return -1;
    }
    long n = 0;
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      n = n * 10 + (c - '0');
      if (n > max) {
        return -1;
      }
    }
    return n;
  }
}
