package io.outrigger.proxy.tracing;

import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporterBuilder;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.outrigger.api.model.tracing.OpenTelemetryProviderConfig;
import io.outrigger.api.model.tracing.OtlpExport;
import java.net.URI;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The OTLP exporters of the {@code envoy.tracers.opentelemetry} provider: OTLP/HTTP protobuf sent
 * with the JDK's {@code HttpClient}, and OTLP/gRPC ({@link OtlpGrpcSpanExporter}); and the {@code
 * envoy.tracers.zipkin} provider's ({@link ZipkinSpanExporter}).
 */
final class OtlpSpanExporters {
  private OtlpSpanExporters() {}

  static SpanExporter create(
      OpenTelemetryProviderConfig config, Function<String, Optional<String>> clusterEndpoint) {
    if (config.export() instanceof OtlpExport.Http http) {
      OtlpHttpSpanExporterBuilder b =
          OtlpHttpSpanExporter.builder()
              .setEndpoint(httpEndpoint(http, clusterEndpoint))
              .setTimeout(http.timeout())
              .setConnectTimeout(http.timeout())
              // No retries: a failed batch is counted and let go, so that a dead collector
              // cannot hold the queue (the SDK's default retries each batch up to 5 times).
              .setRetryPolicy(null);
      for (Map.Entry<String, String> h : http.headers().entrySet()) {
        b.addHeader(h.getKey(), h.getValue());
      }
      return b.build();
    }
    if (config.export() instanceof OtlpExport.Zipkin zipkin) {
      return ZipkinSpanExporter.create(zipkin, clusterEndpoint);
    }
    OtlpExport.Grpc grpc = (OtlpExport.Grpc) config.export();
    String target =
        grpc.cluster().isEmpty()
            ? grpc.target()
            : clusterEndpoint
                .apply(grpc.cluster())
                .orElseThrow(
                    () ->
                        new IllegalArgumentException(
                            "grpc_service.envoy_grpc.cluster_name: cluster \""
                                + grpc.cluster()
                                + "\" has no static endpoint"));
    return new OtlpGrpcSpanExporter(target, grpc.timeout(), grpc.headers());
  }

  /**
   * Envoy sends to {@code http_uri.cluster} with {@code uri}'s path; without a usable cluster the
   * URI is taken as it is.
   */
  static String httpEndpoint(
      OtlpExport.Http http, Function<String, Optional<String>> clusterEndpoint) {
    URI uri = http.uri();
    Optional<String> endpoint =
        http.cluster().isEmpty() ? Optional.empty() : clusterEndpoint.apply(http.cluster());
    if (endpoint.isEmpty()) {
      return uri.toString();
    }
    String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
    return uri.getScheme() + "://" + endpoint.get() + path;
  }
}
