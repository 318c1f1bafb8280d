package io.outrigger.api.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.util.JsonFormat;
import io.envoyproxy.envoy.config.trace.v3.DatadogConfig;
import io.envoyproxy.envoy.config.trace.v3.OpenTelemetryConfig;
import io.envoyproxy.envoy.config.trace.v3.ZipkinConfig;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.outrigger.api.model.tracing.CustomTag;
import io.outrigger.api.model.tracing.OpenTelemetryProviderConfig;
import io.outrigger.api.model.tracing.OtlpExport;
import io.outrigger.api.model.tracing.TracingConfig;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TracingTranslatorTest {
  private static final JsonFormat.Parser PARSER =
      JsonFormat.parser()
          .usingTypeRegistry(
              JsonFormat.TypeRegistry.newBuilder()
                  .add(OpenTelemetryConfig.getDescriptor())
                  .add(ZipkinConfig.getDescriptor())
                  .add(DatadogConfig.getDescriptor())
                  .build());
  private static final String OTEL =
      "\"@type\": \"type.googleapis.com/envoy.config.trace.v3.OpenTelemetryConfig\"";
  private static final String HTTP_SERVICE =
      "\"http_service\": {\"http_uri\": {\"uri\": \"http://collector:4318/v1/traces\","
          + " \"cluster\": \"otel\", \"timeout\": \"0.5s\"}, \"request_headers_to_add\":"
          + " [{\"header\": {\"key\": \"X-Api-Key\", \"value\": \"k\"}}]}";

  private static Optional<TracingConfig> tracing(String tracingJson) throws Exception {
    HttpConnectionManager.Builder b = HttpProtos.hcm(HttpProtos.route("/", "c"));
    PARSER.merge("{\"tracing\": " + tracingJson + "}", b);
    return HttpConnectionManagerTranslator.translate("", b.build(), "l.typed_config").tracing();
  }

  private static String provider(String otelFields) {
    return "{\"name\": \"envoy.tracers.opentelemetry\", \"typed_config\": {"
        + OTEL
        + ", "
        + otelFields
        + "}}";
  }

  @Test
  void noTracingBlockMeansNoTracing() throws Exception {
    HttpConnectionManager proto = HttpProtos.hcm(HttpProtos.route("/", "c")).build();
    assertThat(HttpConnectionManagerTranslator.translate("", proto, "l").tracing()).isEmpty();
  }

  @Test
  void translatesTheOpenTelemetryProviderSamplingAndTags() throws Exception {
    TracingConfig t =
        tracing(
                "{\"provider\": "
                    + provider(HTTP_SERVICE + ", \"service_name\": \"orders\"")
                    + ", \"random_sampling\": {\"value\": 25}, \"client_sampling\": {\"value\":"
                    + " 50}, \"overall_sampling\": {\"value\": 75}, \"max_path_tag_length\": 64,"
                    + " \"spawn_upstream_span\": true, \"custom_tags\": [{\"tag\": \"zone\","
                    + " \"literal\": {\"value\": \"a\"}}, {\"tag\": \"tenant\", \"request_header\":"
                    + " {\"name\": \"X-Tenant\", \"default_value\": \"none\"}}, {\"tag\": \"pod\","
                    + " \"environment\": {\"name\": \"HOSTNAME\"}}]}")
            .orElseThrow();

    assertThat(t.provider())
        .isEqualTo(
            new OpenTelemetryProviderConfig(
                "orders",
                new OtlpExport.Http(
                    URI.create("http://collector:4318/v1/traces"),
                    "otel",
                    Duration.ofMillis(500),
                    Map.of("x-api-key", "k"))));
    assertThat(t.randomSampling()).isEqualTo(25.0);
    assertThat(t.clientSampling()).isEqualTo(50.0);
    assertThat(t.overallSampling()).isEqualTo(75.0);
    assertThat(t.maxPathTagLength()).isEqualTo(64);
    assertThat(t.customTags())
        .containsExactly(
            new CustomTag.Literal("zone", "a"),
            new CustomTag.RequestHeader("tenant", "x-tenant", "none"),
            new CustomTag.Environment("pod", "HOSTNAME", ""));
  }

  @Test
  void defaultsSampleEverythingAndNameAnUnknownService() throws Exception {
    TracingConfig t =
        tracing(
                "{\"provider\": "
                    + provider("\"grpc_service\": {\"envoy_grpc\": {\"cluster_name\": \"otel\"}}")
                    + "}")
            .orElseThrow();

    assertThat(t)
        .isEqualTo(
            TracingConfig.of(
                new OpenTelemetryProviderConfig(
                    "unknown_service:outrigger",
                    new OtlpExport.Grpc("otel", "", Duration.ofSeconds(1), Map.of()))));
  }

  @Test
  void refusesUnsupportedTracingFieldsByName() {
    assertThatThrownBy(
            () ->
                tracing(
                    "{\"provider\": "
                        + provider(HTTP_SERVICE)
                        + ", \"custom_tags\": [{\"tag\": \"m\", \"metadata\": {}}]}"))
        .hasMessage(
            "l.typed_config.tracing.custom_tags[0].metadata: field not supported by Outrigger (see"
                + " docs/configuration.md)");
    assertThatThrownBy(
            () -> tracing("{\"provider\": " + provider(HTTP_SERVICE) + ", \"verbose\": true}"))
        .hasMessageStartingWith("l.typed_config.tracing.verbose: field not supported");
    assertThatThrownBy(
            () ->
                tracing(
                    "{\"provider\": "
                        + provider(HTTP_SERVICE + ", \"sampler\": {\"name\": \"s\"}")
                        + "}"))
        .hasMessageStartingWith(
            "l.typed_config.tracing.provider.typed_config.sampler: field not supported");
  }

  @Test
  void refusesAnotherTracerAMissingProviderAndBadValues() {
    assertThatThrownBy(
            () ->
                tracing(
                    "{\"provider\": {\"name\": \"envoy.tracers.datadog\", \"typed_config\":"
                        + " {\"@type\": \"type.googleapis.com/envoy.config.trace.v3.DatadogConfig\","
                        + " \"collector_cluster\": \"d\"}}}"))
        .hasMessageStartingWith(
            "l.typed_config.tracing.provider.typed_config: tracer type"
                + " \"type.googleapis.com/envoy.config.trace.v3.DatadogConfig\" not supported");
    assertThatThrownBy(() -> tracing("{\"random_sampling\": {\"value\": 5}}"))
        .hasMessageStartingWith("l.typed_config.tracing.provider: required");
    assertThatThrownBy(
            () ->
                tracing(
                    "{\"provider\": "
                        + provider(HTTP_SERVICE)
                        + ", \"random_sampling\": {\"value\": 101}}"))
        .hasMessage("l.typed_config.tracing.random_sampling: 101.0 (expected: 0..100)");
    assertThatThrownBy(() -> tracing("{\"provider\": " + provider("\"service_name\": \"s\"") + "}"))
        .hasMessage(
            "l.typed_config.tracing.provider.typed_config: exactly one of grpc_service or"
                + " http_service required");
    assertThatThrownBy(
            () ->
                tracing(
                    "{\"provider\": "
                        + provider(
                            "\"grpc_service\": {\"envoy_grpc\": {\"cluster_name\": \"otel\"},"
                                + " \"timeout\": \"2s\"}")
                        + "}"))
        .hasMessageStartingWith(
            "l.typed_config.tracing.provider.typed_config.grpc_service.timeout: field not"
                + " supported");
  }

  private static String zipkin(String fields) {
    return "{\"provider\": {\"name\": \"envoy.tracers.zipkin\", \"typed_config\": {\"@type\":"
        + " \"type.googleapis.com/envoy.config.trace.v3.ZipkinConfig\", "
        + fields
        + "}}}";
  }

  private static final String ZIPKIN =
      "\"collector_cluster\": \"zipkin\", \"collector_endpoint\": \"/api/v2/spans\","
          + " \"collector_endpoint_version\": \"HTTP_JSON\", \"shared_span_context\": false";

  @Test
  void translatesTheZipkinProviderBesideTheOpenTelemetryOne() throws Exception {
    TracingConfig t =
        tracing(
                zipkin(ZIPKIN + ", \"trace_id_128bit\": true")
                    .replace("}}}", "}}, \"random_sampling\": {\"value\": 50}}"))
            .orElseThrow();

    assertThat(t.provider().export())
        .isEqualTo(new OtlpExport.Zipkin("zipkin", "/api/v2/spans", true));
    assertThat(t.provider().serviceName())
        .isEqualTo(OpenTelemetryProviderConfig.DEFAULT_SERVICE_NAME);
    assertThat(t.randomSampling()).isEqualTo(50.0);
    assertThat(t.provider().export().timeout()).isEqualTo(OtlpExport.DEFAULT_TIMEOUT);
  }

  @Test
  void zipkinTraceIdsAre64BitUnlessAsked() throws Exception {
    OtlpExport export = tracing(zipkin(ZIPKIN)).orElseThrow().provider().export();

    assertThat(((OtlpExport.Zipkin) export).traceId128Bit()).isFalse();
  }

  @Test
  void refusesZipkinFieldsItCannotHonourByName() {
    assertThatThrownBy(() -> tracing(zipkin(ZIPKIN + ", \"collector_hostname\": \"z.example\"")))
        .hasMessageStartingWith(
            "l.typed_config.tracing.provider.typed_config.collector_hostname: field not supported");
    assertThatThrownBy(() -> tracing(zipkin(ZIPKIN + ", \"split_spans_for_request\": true")))
        .hasMessageStartingWith(
            "l.typed_config.tracing.provider.typed_config.split_spans_for_request: field not"
                + " supported");
    assertThatThrownBy(
            () ->
                tracing(
                    zipkin(
                        ZIPKIN.replace(
                            "\"shared_span_context\": false", "\"trace_id_128bit\": true"))))
        .hasMessageStartingWith(
            "l.typed_config.tracing.provider.typed_config.shared_span_context: true (Envoy's"
                + " default) not supported");
    assertThatThrownBy(() -> tracing(zipkin(ZIPKIN.replace("false", "true"))))
        .hasMessageContaining("shared_span_context: true");
    assertThatThrownBy(() -> tracing(zipkin(ZIPKIN.replace("HTTP_JSON", "HTTP_PROTO"))))
        .hasMessage(
            "l.typed_config.tracing.provider.typed_config.collector_endpoint_version: HTTP_PROTO"
                + " not supported (expected: HTTP_JSON)");
    assertThatThrownBy(
            () ->
                tracing(
                    zipkin(ZIPKIN.replace(", \"collector_endpoint_version\": \"HTTP_JSON\"", ""))))
        .hasMessageContaining("collector_endpoint_version: DEPRECATED_AND_UNAVAILABLE_DO_NOT_USE");
  }

  @Test
  void refusesAZipkinProviderWithoutCollector() {
    assertThatThrownBy(
            () -> tracing(zipkin(ZIPKIN.replace("\"collector_cluster\": \"zipkin\", ", ""))))
        .hasMessage("l.typed_config.tracing.provider.typed_config.collector_cluster: required");
    assertThatThrownBy(
            () ->
                tracing(zipkin(ZIPKIN.replace("\"collector_endpoint\": \"/api/v2/spans\", ", ""))))
        .hasMessageStartingWith(
            "l.typed_config.tracing.provider.typed_config.collector_endpoint: required");
    assertThatThrownBy(() -> tracing(zipkin(ZIPKIN.replace("/api/v2/spans", "api/v2/spans"))))
        .hasMessageContaining("collector_endpoint: \"api/v2/spans\" (expected: a path");
  }

  @Test
  void customTagNamesAreUnique() {
    assertThatThrownBy(
            () ->
                new TracingConfig(
                    TracingConfig.of(
                            new OpenTelemetryProviderConfig(
                                "s",
                                new OtlpExport.Grpc("", "h:1", Duration.ofSeconds(1), Map.of())))
                        .provider(),
                    100,
                    100,
                    100,
                    List.of(new CustomTag.Literal("a", "1"), new CustomTag.Literal("a", "2")),
                    true,
                    256))
        .hasMessage("custom_tags: duplicate tag \"a\"");
  }
}
