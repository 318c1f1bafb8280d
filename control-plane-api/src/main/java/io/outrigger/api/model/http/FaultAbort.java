package io.outrigger.api.model.http;

import static java.util.Objects.requireNonNull;

/**
 * {@code extensions.filters.http.fault.v3.FaultAbort}: answer a share of requests locally.
 *
 * @param kind which of Envoy's {@code error_type} is set
 * @param httpStatus for {@link Kind#HTTP}: 200..599; 0 otherwise
 * @param grpcStatus for {@link Kind#GRPC}: the gRPC status code (answered with HTTP 200); 0
 *     otherwise
 * @param percentage the share of requests aborted; Envoy's default when unset is 0 (none). With
 *     {@link Kind#HEADER}, {@code x-envoy-fault-abort-request-percentage} may lower the numerator
 */
public record FaultAbort(Kind kind, int httpStatus, int grpcStatus, FractionalPercent percentage) {

  /** Where the abort's status comes from. */
  public enum Kind {
    /** {@code http_status}. */
    HTTP,
    /** {@code grpc_status}. */
    GRPC,
    /**
     * {@code header_abort}: {@code x-envoy-fault-abort-request} (an HTTP status, 200..599) or
     * {@code x-envoy-fault-abort-grpc-request} (a gRPC status); neither means no abort.
     */
    HEADER
  }

  public FaultAbort {
    requireNonNull(kind, "kind");
    requireNonNull(percentage, "percentage");
    if (kind == Kind.HTTP && (httpStatus < 200 || httpStatus > 599)) {
      throw new IllegalArgumentException("http_status: " + httpStatus + " (expected: 200..599)");
    }
    if (grpcStatus < 0) {
      throw new IllegalArgumentException(
          "grpc_status: " + Integer.toUnsignedString(grpcStatus) + " (expected: 0..2147483647)");
    }
  }

  public static FaultAbort http(int status, FractionalPercent percentage) {
    return new FaultAbort(Kind.HTTP, status, 0, percentage);
  }

  public static FaultAbort grpc(int status, FractionalPercent percentage) {
    return new FaultAbort(Kind.GRPC, 0, status, percentage);
  }

  public static FaultAbort fromHeader(FractionalPercent percentage) {
    return new FaultAbort(Kind.HEADER, 0, 0, percentage);
  }
}
