package io.outrigger.api.validation;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import io.envoyproxy.envoy.config.core.v3.GrpcService;
import io.envoyproxy.envoy.config.core.v3.HeaderValue;
import io.envoyproxy.envoy.config.core.v3.HeaderValueOption;
import io.envoyproxy.envoy.config.core.v3.HttpService;
import io.envoyproxy.envoy.config.trace.v3.OpenTelemetryConfig;
import io.envoyproxy.envoy.config.trace.v3.Tracing;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.type.tracing.v3.CustomTag;
import io.envoyproxy.envoy.type.v3.Percent;
import io.outrigger.api.model.tracing.OpenTelemetryProviderConfig;
import io.outrigger.api.model.tracing.OtlpExport;
import io.outrigger.api.model.tracing.TracingConfig;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Translates the connection manager's {@code tracing} block into {@link TracingConfig}. The {@code
 * envoy.tracers.opentelemetry} and {@code envoy.tracers.zipkin} providers are supported; other
 * providers, {@code metadata} custom tags, the OpenTelemetry config's {@code sampler} and {@code
 * resource_detectors}, and the Zipkin config's fields outside {@link ZipkinTranslator} are refused
 * by name.
 */
final class TracingTranslator {
  private TracingTranslator() {}

  /**
   * @param proto the {@code tracing} block, already checked against the supported fields with the
   *     rest of the connection manager
   * @param path the path of the {@code tracing} block
   */
  static TracingConfig translate(HttpConnectionManager.Tracing proto, String path)
      throws ConfigException {
    if (!proto.hasProvider()) {
      throw ConfigException.at(
          Paths.field(path, "provider"),
          "required (expected: the envoy.tracers.opentelemetry or envoy.tracers.zipkin provider;"
              + " a bootstrap-level"
              + " tracing provider is not supported)");
    }
    OpenTelemetryProviderConfig provider =
        provider(proto.getProvider(), Paths.field(path, "provider"));
    List<io.outrigger.api.model.tracing.CustomTag> tags = new ArrayList<>();
    for (int i = 0; i < proto.getCustomTagsCount(); i++) {
      tags.add(customTag(proto.getCustomTags(i), Paths.item(path, "custom_tags", i)));
    }
    try {
      return new TracingConfig(
          provider,
          percent(proto.hasRandomSampling(), proto.getRandomSampling()),
          percent(proto.hasClientSampling(), proto.getClientSampling()),
          percent(proto.hasOverallSampling(), proto.getOverallSampling()),
          tags,
          !proto.hasSpawnUpstreamSpan() || proto.getSpawnUpstreamSpan().getValue(),
          proto.hasMaxPathTagLength()
              ? ProtoValues.positiveInt(
                  proto.getMaxPathTagLength(), Paths.field(path, "max_path_tag_length"))
              : TracingConfig.DEFAULT_MAX_PATH_TAG_LENGTH);
    } catch (IllegalArgumentException e) {
      throw Paths.fromModel(path, e);
    }
  }

  private static double percent(boolean set, Percent p) {
    return set ? p.getValue() : TracingConfig.DEFAULT_SAMPLING;
  }

  static OpenTelemetryProviderConfig provider(Tracing.Http proto, String path)
      throws ConfigException {
    SupportedFieldsCheck.check(proto, path);
    String at = Paths.field(path, "typed_config");
    Any any = proto.getTypedConfig();
    if (proto.hasTypedConfig() && any.getTypeUrl().equals(OtlpExport.Zipkin.TYPE_URL)) {
      return ZipkinTranslator.provider(any, at);
    }
    if (!proto.hasTypedConfig() || !any.getTypeUrl().equals(OpenTelemetryProviderConfig.TYPE_URL)) {
      throw ConfigException.at(
          at,
          "tracer type \""
              + any.getTypeUrl()
              + "\" not supported (expected: "
              + OpenTelemetryProviderConfig.TYPE_URL
              + " or "
              + OtlpExport.Zipkin.TYPE_URL
              + ")");
    }
    OpenTelemetryConfig otel;
    try {
      otel = Anys.unpack(any, OpenTelemetryConfig.class);
    } catch (InvalidProtocolBufferException e) {
      throw ConfigException.at(at, "cannot decode OpenTelemetryConfig: " + e.getMessage());
    }
    SupportedFieldsCheck.check(otel, at);
    OtlpExport export;
    if (otel.hasGrpcService() == otel.hasHttpService()) {
      throw ConfigException.at(at, "exactly one of grpc_service or http_service required");
    } else if (otel.hasHttpService()) {
      export = http(otel.getHttpService(), Paths.field(at, "http_service"));
    } else {
      export = grpc(otel.getGrpcService(), Paths.field(at, "grpc_service"));
    }
    try {
      return new OpenTelemetryProviderConfig(
          otel.getServiceName().isEmpty()
              ? OpenTelemetryProviderConfig.DEFAULT_SERVICE_NAME
              : otel.getServiceName(),
          export);
    } catch (IllegalArgumentException e) {
      throw Paths.fromModel(at, e);
    }
  }

  private static OtlpExport http(HttpService proto, String path) throws ConfigException {
    String uriPath = Paths.field(path, "http_uri");
    if (!proto.hasHttpUri() || proto.getHttpUri().getUri().isEmpty()) {
      throw ConfigException.at(Paths.field(uriPath, "uri"), "required");
    }
    URI uri;
    try {
      uri = new URI(proto.getHttpUri().getUri());
    } catch (URISyntaxException e) {
      throw ConfigException.at(Paths.field(uriPath, "uri"), "not a URL: " + e.getMessage());
    }
    Duration timeout =
        proto.getHttpUri().hasTimeout()
            ? ProtoValues.duration(proto.getHttpUri().getTimeout(), Paths.field(uriPath, "timeout"))
            : OtlpExport.DEFAULT_TIMEOUT;
    Map<String, String> headers = new LinkedHashMap<>();
    for (int i = 0; i < proto.getRequestHeadersToAddCount(); i++) {
      HeaderValueOption h = proto.getRequestHeadersToAdd(i);
      header(h.getHeader(), headers, Paths.item(path, "request_headers_to_add", i));
    }
    try {
      return new OtlpExport.Http(uri, proto.getHttpUri().getCluster(), timeout, headers);
    } catch (IllegalArgumentException e) {
      throw Paths.fromModel(path, e);
    }
  }

  private static OtlpExport grpc(GrpcService proto, String path) throws ConfigException {
    String cluster = "";
    String target = "";
    if (proto.getTargetSpecifierCase() == GrpcService.TargetSpecifierCase.ENVOY_GRPC) {
      cluster = proto.getEnvoyGrpc().getClusterName();
      if (cluster.isEmpty()) {
        throw ConfigException.at(Paths.field(path, "envoy_grpc.cluster_name"), "required");
      }
    } else if (proto.getTargetSpecifierCase() == GrpcService.TargetSpecifierCase.GOOGLE_GRPC) {
      target = proto.getGoogleGrpc().getTargetUri();
      if (target.isEmpty()) {
        throw ConfigException.at(Paths.field(path, "google_grpc.target_uri"), "required");
      }
    } else {
      throw ConfigException.at(path, "one of envoy_grpc or google_grpc required");
    }
    try {
      return new OtlpExport.Grpc(
          cluster,
          target,
          OtlpExport.DEFAULT_TIMEOUT,
          DynamicResourcesTranslator.initialMetadata(proto, path));
    } catch (IllegalArgumentException e) {
      throw Paths.fromModel(path, e);
    }
  }

  private static void header(HeaderValue h, Map<String, String> out, String path)
      throws ConfigException {
    HeaderMutationTranslator.checkName(h.getKey(), Paths.field(path, "key"));
    out.put(h.getKey().toLowerCase(Locale.ROOT), h.getValue());
  }

  private static io.outrigger.api.model.tracing.CustomTag customTag(CustomTag proto, String path)
      throws ConfigException {
    try {
      return switch (proto.getTypeCase()) {
        case LITERAL ->
            new io.outrigger.api.model.tracing.CustomTag.Literal(
                proto.getTag(), proto.getLiteral().getValue());
        case REQUEST_HEADER ->
            new io.outrigger.api.model.tracing.CustomTag.RequestHeader(
                proto.getTag(),
                proto.getRequestHeader().getName(),
                proto.getRequestHeader().getDefaultValue());
        case ENVIRONMENT ->
            new io.outrigger.api.model.tracing.CustomTag.Environment(
                proto.getTag(),
                proto.getEnvironment().getName(),
                proto.getEnvironment().getDefaultValue());
        default ->
            throw ConfigException.at(
                path, "one of literal, request_header or environment required");
      };
    } catch (IllegalArgumentException e) {
      throw Paths.fromModel(path, e);
    }
  }
}
