package io.outrigger.api.model.tracing;

import static java.util.Objects.requireNonNull;

/**
 * {@code config.trace.v3.OpenTelemetryConfig}, the {@code envoy.tracers.opentelemetry} provider.
 * Two connection managers with equal provider configs share one tracer provider (one export queue)
 * in the sidecar.
 *
 * @param serviceName the {@code service.name} resource attribute; default {@code
 *     "unknown_service:outrigger"} (Envoy's is {@code "unknown_service:envoy"})
 * @param export where spans are sent over OTLP
 */
public record OpenTelemetryProviderConfig(String serviceName, OtlpExport export) {
  public static final String TYPE_URL =
      "type.googleapis.com/envoy.config.trace.v3.OpenTelemetryConfig";
  public static final String PROVIDER_NAME = "envoy.tracers.opentelemetry";
  public static final String DEFAULT_SERVICE_NAME = "unknown_service:outrigger";

  public OpenTelemetryProviderConfig {
    requireNonNull(serviceName, "serviceName");
    requireNonNull(export, "export");
    if (serviceName.isEmpty()) {
      throw new IllegalArgumentException("service_name: empty (expected: a service name)");
    }
  }
}
