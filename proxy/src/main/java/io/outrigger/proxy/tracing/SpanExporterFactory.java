package io.outrigger.proxy.tracing;

import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.outrigger.api.model.tracing.OpenTelemetryProviderConfig;
import java.util.Optional;
import java.util.function.Function;

/**
 * Makes the span exporter of a tracer provider. The sidecar's default is {@link
 * OtlpSpanExporters#create}; tests pass an in-memory exporter. Called on a config thread, once per
 * distinct provider config.
 */
@FunctionalInterface
public interface SpanExporterFactory {
  SpanExporterFactory OTLP = OtlpSpanExporters::create;

  /**
   * @param clusterEndpoint a cluster's first static endpoint as {@code host:port}, if it has one
   */
  SpanExporter create(
      OpenTelemetryProviderConfig config, Function<String, Optional<String>> clusterEndpoint);
}
