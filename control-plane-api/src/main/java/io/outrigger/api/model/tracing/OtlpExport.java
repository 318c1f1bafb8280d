package io.outrigger.api.model.tracing;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.time.Duration;
import java.util.Map;

/**
 * Where and how a tracer provider sends the OpenTelemetry SDK's spans: OTLP over HTTP or gRPC
 * ({@code envoy.tracers.opentelemetry}), or Zipkin v2 JSON ({@code envoy.tracers.zipkin}).
 */
public sealed interface OtlpExport {
  Duration DEFAULT_TIMEOUT = Duration.ofSeconds(1);

  /** How long one export call may take before it counts as failed. */
  Duration timeout();

  /** Headers (HTTP) or initial metadata (gRPC) sent with every export; keys lower-case. */
  Map<String, String> headers();

  /**
   * {@code http_service}: OTLP/HTTP protobuf, {@code POST} to {@code uri}.
   *
   * @param uri the full URL, e.g. {@code http://127.0.0.1:4318/v1/traces}; its path is kept
   * @param cluster Envoy's required {@code http_uri.cluster}: when that cluster has a static
   *     endpoint, the export goes to its first endpoint (with {@code uri}'s path); otherwise to the
   *     host of {@code uri}
   * @param timeout {@code http_uri.timeout}; Envoy requires it, default here 1 s
   */
  record Http(URI uri, String cluster, Duration timeout, Map<String, String> headers)
      implements OtlpExport {
    public Http {
      requireNonNull(uri, "uri");
      requireNonNull(cluster, "cluster");
      headers = Map.copyOf(requireNonNull(headers, "headers"));
      checkTimeout(timeout);
      if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
        throw new IllegalArgumentException(
            "http_uri.uri: " + uri + " (expected: an http:// or https:// URL)");
      }
      if (uri.getHost() == null && cluster.isEmpty()) {
        throw new IllegalArgumentException(
            "http_uri: " + uri + " has no host and no cluster (expected: one of them)");
      }
    }
  }

  /**
   * {@code grpc_service}: OTLP/gRPC to the {@code TraceService/Export} method.
   *
   * @param cluster {@code envoy_grpc.cluster_name}: the export goes to that cluster's first static
   *     endpoint; empty when {@code target} is set
   * @param target {@code google_grpc.target_uri}, {@code host:port}; empty when {@code cluster} is
   *     set
   * @param timeout {@code grpc_service.timeout}; default 1 s
   */
  record Grpc(String cluster, String target, Duration timeout, Map<String, String> headers)
      implements OtlpExport {
    public Grpc {
      requireNonNull(cluster, "cluster");
      requireNonNull(target, "target");
      headers = Map.copyOf(requireNonNull(headers, "headers"));
      checkTimeout(timeout);
      if (cluster.isEmpty() == target.isEmpty()) {
        throw new IllegalArgumentException(
            "grpc_service: (expected: exactly one of envoy_grpc.cluster_name or"
                + " google_grpc.target_uri)");
      }
    }
  }

  /**
   * {@code config.trace.v3.ZipkinConfig}, the {@code envoy.tracers.zipkin} provider: Zipkin v2 JSON
   * ({@code collector_endpoint_version: HTTP_JSON}) {@code POST}ed to {@code http://<first endpoint
   * of cluster><path>}. The spans' service name is the sidecar's {@code node.cluster}, as Envoy's.
   *
   * @param cluster {@code collector_cluster}: the collector is its first endpoint
   * @param path {@code collector_endpoint}, e.g. {@code /api/v2/spans}
   * @param traceId128Bit {@code trace_id_128bit}: new traces get 128-bit ids; default false, 64-bit
   *     ids (the upper half zero), as Envoy's
   */
  record Zipkin(String cluster, String path, boolean traceId128Bit) implements OtlpExport {
    public static final String TYPE_URL = "type.googleapis.com/envoy.config.trace.v3.ZipkinConfig";
    public static final String PROVIDER_NAME = "envoy.tracers.zipkin";

    public Zipkin {
      requireNonNull(cluster, "cluster");
      requireNonNull(path, "path");
      if (cluster.isEmpty()) {
        throw new IllegalArgumentException("collector_cluster: required");
      }
      if (!path.startsWith("/")) {
        throw new IllegalArgumentException(
            "collector_endpoint: \"" + path + "\" (expected: a path, e.g. /api/v2/spans)");
      }
    }

    /** Envoy's Zipkin tracer has no export timeout of its own; 1 s here, as for OTLP. */
    @Override
    public Duration timeout() {
      return DEFAULT_TIMEOUT;
    }

    @Override
    public Map<String, String> headers() {
      return Map.of();
    }
  }

  private static void checkTimeout(Duration timeout) {
    requireNonNull(timeout, "timeout");
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout: " + timeout + " (expected: > 0)");
    }
  }
}
