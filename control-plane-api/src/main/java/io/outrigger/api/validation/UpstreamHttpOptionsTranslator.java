package io.outrigger.api.validation;

import com.google.protobuf.Any;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageOrBuilder;
import com.google.protobuf.UInt32Value;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.Http2ProtocolOptions;
import io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions;
import io.outrigger.api.model.UpstreamHttpOptions;
import io.outrigger.api.model.UpstreamHttpOptions.Protocol;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Translates a cluster's {@code typed_extension_protocol_options} (Envoy's {@code
 * envoy.extensions.upstreams.http.v3.HttpProtocolOptions}) into {@link UpstreamHttpOptions}.
 *
 * <p>The unpacked options are checked here, field by field, rather than through {@link
 * SupportedFields}: that table is keyed by message type, and the {@code core.v3} protocol option
 * types ({@code HttpProtocolOptions}, {@code Http1ProtocolOptions}, {@code Http2ProtocolOptions})
 * are shared with the HTTP connection manager, where a different subset is supported.
 */
final class UpstreamHttpOptionsTranslator {
  /** The only key, and the only type, accepted in {@code typed_extension_protocol_options}. */
  static final String KEY = "envoy.extensions.upstreams.http.v3.HttpProtocolOptions";

  static final String TYPE_URL = "type.googleapis.com/" + KEY;

  private static final Set<String> OPTIONS_FIELDS =
      Set.of(
          "common_http_protocol_options",
          "explicit_http_config",
          "use_downstream_protocol_config",
          "auto_config");
  private static final Set<String> COMMON_FIELDS =
      Set.of("idle_timeout", "max_requests_per_connection", "max_connection_duration");
  private static final Set<String> HTTP2_FIELDS =
      Set.of(
          "max_concurrent_streams", "initial_stream_window_size", "initial_connection_window_size");

  private UpstreamHttpOptionsTranslator() {}

  /**
   * Refuses the cluster-level protocol fields that Envoy deprecated in favour of {@code
   * HttpProtocolOptions}, naming where they go instead. Runs before {@link SupportedFieldsCheck} so
   * that this message, not the generic one, is what a person reads.
   */
  static void refuseDeprecatedClusterFields(Cluster proto, String path) throws ConfigException {
    if (proto.hasHttp2ProtocolOptions()) {
      throw deprecated(
          path, "http2_protocol_options", "explicit_http_config.http2_protocol_options");
    }
    if (proto.hasHttpProtocolOptions()) {
      throw deprecated(path, "http_protocol_options", "explicit_http_config.http_protocol_options");
    }
    if (proto.hasCommonHttpProtocolOptions()) {
      throw deprecated(path, "common_http_protocol_options", "common_http_protocol_options");
    }
  }

  private static ConfigException deprecated(String path, String field, String replacement) {
    return ConfigException.at(
        Paths.field(path, field),
        "deprecated by Envoy and not supported (write it as typed_extension_protocol_options[\""
            + KEY
            + "\"]."
            + replacement
            + ")");
  }

  /**
   * @param proto a cluster whose fields {@link SupportedFieldsCheck} has accepted
   * @param path where the cluster sits
   * @return the options, or {@link UpstreamHttpOptions#DEFAULT} when none are given
   */
  static UpstreamHttpOptions translate(Cluster proto, String path) throws ConfigException {
    UpstreamHttpOptions options = UpstreamHttpOptions.DEFAULT;
    String mapPath = Paths.field(path, "typed_extension_protocol_options");
    for (Map.Entry<String, Any> e : proto.getTypedExtensionProtocolOptionsMap().entrySet()) {
      String entryPath = mapPath + "[\"" + e.getKey() + "\"]";
      if (!e.getKey().equals(KEY)) {
        throw ConfigException.at(entryPath, "not supported (expected: the key " + KEY + ")");
      }
      options = options(unpack(e.getValue(), entryPath), entryPath);
    }
    return options;
  }

  private static HttpProtocolOptions unpack(Any any, String path) throws ConfigException {
    if (!Anys.is(any, HttpProtocolOptions.class)) {
      throw ConfigException.at(
          path, "type " + any.getTypeUrl() + " not supported (expected: " + TYPE_URL + ")");
    }
    try {
      return Anys.unpack(any, HttpProtocolOptions.class);
    } catch (InvalidProtocolBufferException e) {
      throw ConfigException.at(path, "invalid " + KEY + ": " + e.getMessage());
    }
  }

  private static UpstreamHttpOptions options(HttpProtocolOptions proto, String path)
      throws ConfigException {
    allowOnly(proto, path, OPTIONS_FIELDS);
    UpstreamHttpOptions explicit =
        switch (proto.getUpstreamProtocolOptionsCase()) {
          case EXPLICIT_HTTP_CONFIG ->
              explicit(proto.getExplicitHttpConfig(), Paths.field(path, "explicit_http_config"));
          case USE_DOWNSTREAM_PROTOCOL_CONFIG ->
              throw ConfigException.at(
                  Paths.field(path, "use_downstream_protocol_config"),
                  "not supported yet (expected: explicit_http_config)");
          case AUTO_CONFIG ->
              throw ConfigException.at(
                  Paths.field(path, "auto_config"),
                  "not supported yet: choosing the protocol by ALPN comes with upstream TLS"
                      + " (expected: explicit_http_config)");
          case UPSTREAMPROTOCOLOPTIONS_NOT_SET ->
              throw ConfigException.at(
                  Paths.field(path, "explicit_http_config"),
                  "required (Envoy requires one of explicit_http_config,"
                      + " use_downstream_protocol_config or auto_config; Outrigger supports"
                      + " explicit_http_config)");
        };
    if (!proto.hasCommonHttpProtocolOptions()) {
      return explicit;
    }
    return common(
        proto.getCommonHttpProtocolOptions(),
        Paths.field(path, "common_http_protocol_options"),
        explicit);
  }

  private static UpstreamHttpOptions explicit(
      HttpProtocolOptions.ExplicitHttpConfig proto, String path) throws ConfigException {
    switch (proto.getProtocolConfigCase()) {
      case HTTP_PROTOCOL_OPTIONS -> {
        allowOnly(
            proto.getHttpProtocolOptions(), Paths.field(path, "http_protocol_options"), Set.of());
        return UpstreamHttpOptions.defaults(Protocol.HTTP1);
      }
      case HTTP2_PROTOCOL_OPTIONS -> {
        return http2(proto.getHttp2ProtocolOptions(), Paths.field(path, "http2_protocol_options"));
      }
      case HTTP3_PROTOCOL_OPTIONS ->
          throw ConfigException.at(
              Paths.field(path, "http3_protocol_options"),
              "HTTP/3 not supported (expected: http_protocol_options or http2_protocol_options)");
      default ->
          throw ConfigException.at(
              path,
              "one of http_protocol_options (HTTP/1.1) or http2_protocol_options (HTTP/2) is"
                  + " required");
    }
  }

  private static UpstreamHttpOptions http2(Http2ProtocolOptions proto, String path)
      throws ConfigException {
    allowOnly(proto, path, HTTP2_FIELDS);
    UpstreamHttpOptions d = UpstreamHttpOptions.defaults(Protocol.HTTP2);
    return new UpstreamHttpOptions(
        Protocol.HTTP2,
        d.idleTimeout(),
        d.maxRequestsPerConnection(),
        d.maxConnectionDuration(),
        proto.hasMaxConcurrentStreams()
            ? intAtLeast(proto.getMaxConcurrentStreams(), 1, path, "max_concurrent_streams")
            : d.maxConcurrentStreams(),
        proto.hasInitialStreamWindowSize()
            ? intAtLeast(
                proto.getInitialStreamWindowSize(),
                UpstreamHttpOptions.MIN_WINDOW_SIZE,
                path,
                "initial_stream_window_size")
            : d.initialStreamWindowSize(),
        proto.hasInitialConnectionWindowSize()
            ? intAtLeast(
                proto.getInitialConnectionWindowSize(),
                UpstreamHttpOptions.MIN_WINDOW_SIZE,
                path,
                "initial_connection_window_size")
            : d.initialConnectionWindowSize());
  }

  private static UpstreamHttpOptions common(
      io.envoyproxy.envoy.config.core.v3.HttpProtocolOptions proto,
      String path,
      UpstreamHttpOptions explicit)
      throws ConfigException {
    allowOnly(proto, path, COMMON_FIELDS);
    Duration idleTimeout =
        proto.hasIdleTimeout()
            ? ProtoValues.duration(proto.getIdleTimeout(), Paths.field(path, "idle_timeout"))
            : UpstreamHttpOptions.DEFAULT_IDLE_TIMEOUT;
    long maxRequests =
        proto.hasMaxRequestsPerConnection()
            ? Integer.toUnsignedLong(proto.getMaxRequestsPerConnection().getValue())
            : 0;
    Optional<Duration> maxDuration = Optional.empty();
    if (proto.hasMaxConnectionDuration()) {
      String durationPath = Paths.field(path, "max_connection_duration");
      Duration d = ProtoValues.duration(proto.getMaxConnectionDuration(), durationPath);
      if (d.isZero()) {
        throw ConfigException.at(durationPath, "0s (expected: > 0s; leave it unset for no limit)");
      }
      maxDuration = Optional.of(d);
    }
    return new UpstreamHttpOptions(
        explicit.protocol(),
        idleTimeout,
        maxRequests,
        maxDuration,
        explicit.maxConcurrentStreams(),
        explicit.initialStreamWindowSize(),
        explicit.initialConnectionWindowSize());
  }

  private static int intAtLeast(UInt32Value value, int min, String path, String field)
      throws ConfigException {
    long v = Integer.toUnsignedLong(value.getValue());
    if (v < min || v > Integer.MAX_VALUE) {
      throw ConfigException.at(
          Paths.field(path, field), v + " (expected: " + min + ".." + Integer.MAX_VALUE + ")");
    }
    return (int) v;
  }

  /** Refuses every set field of {@code message} outside {@code allowed}, one level deep. */
  private static void allowOnly(MessageOrBuilder message, String path, Set<String> allowed)
      throws ConfigException {
    for (FieldDescriptor field : SupportedFieldsCheck.setFields(message).keySet()) {
      if (!allowed.contains(field.getName())) {
        throw ConfigException.at(
            Paths.field(path, field.getName()), SupportedFieldsCheck.NOT_SUPPORTED);
      }
    }
  }
}
