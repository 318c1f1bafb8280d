package io.outrigger.api.validation;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import io.envoyproxy.envoy.config.trace.v3.ZipkinConfig;
import io.outrigger.api.model.tracing.OpenTelemetryProviderConfig;
import io.outrigger.api.model.tracing.OtlpExport;

/**
 * Translates {@code config.trace.v3.ZipkinConfig}, the {@code envoy.tracers.zipkin} provider, into
 * a provider whose spans are exported as Zipkin v2 JSON. What Outrigger cannot do as Envoy does is
 * refused by name: {@code shared_span_context} other than false (the OpenTelemetry SDK gives the
 * client and the server span of a request their own span ids), a {@code collector_endpoint_version}
 * other than {@code HTTP_JSON}, and {@code collector_hostname} and {@code split_spans_for_request}
 * (outside {@link TracingSupportedFields}).
 */
final class ZipkinTranslator {
  private ZipkinTranslator() {}

  /**
   * @param any the provider's {@code typed_config}, of type {@link OtlpExport.Zipkin#TYPE_URL}
   * @param at the path of {@code typed_config}
   */
  static OpenTelemetryProviderConfig provider(Any any, String at) throws ConfigException {
    ZipkinConfig zipkin;
    try {
      zipkin = Anys.unpack(any, ZipkinConfig.class);
    } catch (InvalidProtocolBufferException e) {
      throw ConfigException.at(at, "cannot decode ZipkinConfig: " + e.getMessage());
    }
    SupportedFieldsCheck.check(zipkin, at);
    if (zipkin.getCollectorCluster().isEmpty()) {
      throw ConfigException.at(Paths.field(at, "collector_cluster"), "required");
    }
    if (zipkin.getCollectorEndpoint().isEmpty()) {
      throw ConfigException.at(
          Paths.field(at, "collector_endpoint"), "required (e.g. /api/v2/spans)");
    }
    if (zipkin.getCollectorEndpointVersion() != ZipkinConfig.CollectorEndpointVersion.HTTP_JSON) {
      throw ConfigException.at(
          Paths.field(at, "collector_endpoint_version"),
          zipkin.getCollectorEndpointVersion() + " not supported (expected: HTTP_JSON)");
    }
    if (!zipkin.hasSharedSpanContext() || zipkin.getSharedSpanContext().getValue()) {
      throw ConfigException.at(
          Paths.field(at, "shared_span_context"),
          "true (Envoy's default) not supported: the client and the server span of a request"
              + " each have their own span id (expected: false)");
    }
    try {
      return new OpenTelemetryProviderConfig(
          OpenTelemetryProviderConfig.DEFAULT_SERVICE_NAME,
          new OtlpExport.Zipkin(
              zipkin.getCollectorCluster(),
              zipkin.getCollectorEndpoint(),
              zipkin.getTraceId128Bit()));
    } catch (IllegalArgumentException e) {
      throw Paths.fromModel(at, e);
    }
  }
}
