package io.outrigger.api.validation;

import io.envoyproxy.envoy.config.core.v3.HttpServiceProto;
import io.envoyproxy.envoy.config.core.v3.HttpUriProto;
import io.envoyproxy.envoy.config.trace.v3.HttpTracerProto;
import io.envoyproxy.envoy.config.trace.v3.OpentelemetryProto;
import io.envoyproxy.envoy.config.trace.v3.ZipkinProto;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManagerProto;
import io.envoyproxy.envoy.type.tracing.v3.CustomTagProto;
import io.outrigger.api.validation.SupportedFields.Rule;
import java.util.Map;

/**
 * The supported subset of the connection manager's {@code tracing} block and of the OpenTelemetry
 * tracer, registered into {@link SupportedFields}' table. {@code docs/configuration.md} and {@code
 * docs/tracing.md} mirror it.
 */
final class TracingSupportedFields {
  private TracingSupportedFields() {}

  /** Adds the tracing types' rules to {@code t}. */
  static void register(Map<String, Map<String, Rule>> t) {
    TypeRules.of(t, HttpConnectionManagerProto.getDescriptor(), "HttpConnectionManager", "Tracing")
        .read("provider", "required: envoy.tracers.opentelemetry or envoy.tracers.zipkin")
        .read("random_sampling", "default 100%")
        .read("client_sampling", "default 100%: requests with x-client-trace-id")
        .read("overall_sampling", "default 100%: caps the two above")
        .read("custom_tags", "literal, request_header or environment; tags unique")
        .read("max_path_tag_length", "default 256")
        .ignore(
            "spawn_upstream_span",
            "accepted; Outrigger always makes a client span per upstream attempt");
    TypeRules.of(t, CustomTagProto.getDescriptor(), "CustomTag")
        .read("tag", "required; the attribute name")
        .read("literal", "a fixed value")
        .read("request_header", "a request header's value")
        .read("environment", "an environment variable, read when the config is applied");
    TypeRules.of(t, CustomTagProto.getDescriptor(), "CustomTag", "Literal")
        .read("value", "the value");
    TypeRules.of(t, CustomTagProto.getDescriptor(), "CustomTag", "Header")
        .read("name", "required")
        .read("default_value", "when the header is missing; default none");
    TypeRules.of(t, CustomTagProto.getDescriptor(), "CustomTag", "Environment")
        .read("name", "required")
        .read("default_value", "when the variable is unset; default none");
    TypeRules.of(t, HttpTracerProto.getDescriptor(), "Tracing", "Http")
        .read("name", "free; the tracer is recognised by its typed_config type")
        .read("typed_config", "OpenTelemetryConfig or ZipkinConfig");
    TypeRules.of(t, ZipkinProto.getDescriptor(), "ZipkinConfig")
        .read("collector_cluster", "required; the collector is its first endpoint")
        .read("collector_endpoint", "required; e.g. /api/v2/spans")
        .read("collector_endpoint_version", "required: HTTP_JSON")
        .read("shared_span_context", "required: false (every span has its own span id)")
        .read("trace_id_128bit", "default false: new traces get 64-bit trace ids");
    TypeRules.of(t, OpentelemetryProto.getDescriptor(), "OpenTelemetryConfig")
        .read("grpc_service", "OTLP/gRPC; one of grpc_service or http_service")
        .read("http_service", "OTLP/HTTP protobuf; one of grpc_service or http_service")
        .read("service_name", "default unknown_service:outrigger");
    TypeRules.of(t, HttpServiceProto.getDescriptor(), "HttpService")
        .read("http_uri", "required")
        .read("request_headers_to_add", "literal headers on every export");
    TypeRules.of(t, HttpUriProto.getDescriptor(), "HttpUri")
        .read("uri", "required; e.g. http://127.0.0.1:4318/v1/traces")
        .read("cluster", "its first static endpoint is used when it has one, else uri's host")
        .read("timeout", "default 1s, per export");
  }
}
