package io.outrigger.api.validation;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import io.envoyproxy.envoy.config.core.v3.DataSource;
import io.envoyproxy.envoy.config.core.v3.TransportSocket;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CertificateValidationContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CommonTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.SubjectAltNameMatcher;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.TlsCertificate;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.TlsParameters;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.TlsProto;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext;
import io.envoyproxy.envoy.type.matcher.v3.StringMatcher;
import io.outrigger.api.model.tls.CipherSuite;
import io.outrigger.api.model.tls.CommonTlsConfig;
import io.outrigger.api.model.tls.DataSourceConfig;
import io.outrigger.api.model.tls.DownstreamTlsConfig;
import io.outrigger.api.model.tls.SanMatcher;
import io.outrigger.api.model.tls.TlsCertificateConfig;
import io.outrigger.api.model.tls.TlsParamsConfig;
import io.outrigger.api.model.tls.TlsVersion;
import io.outrigger.api.model.tls.UpstreamTlsConfig;
import io.outrigger.api.model.tls.ValidationConfig;
import io.outrigger.api.model.tls.ValidationContextPart;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Translates the {@code envoy.transport_sockets.tls} transport socket: {@code DownstreamTlsContext}
 * on filter chains and {@code UpstreamTlsContext} on clusters. Unsupported fields are refused by
 * name (see {@link TlsSupportedFields}); TLS 1.0/1.1 and non-AEAD suites are refused.
 */
public final class TlsTranslator {
  /** The transport socket's name, as in Envoy. */
  public static final String TRANSPORT_SOCKET_NAME = "envoy.transport_sockets.tls";

  public static final String DOWNSTREAM_TYPE_URL =
      ProtoTypes.typeUrl(TlsProto.getDescriptor(), "DownstreamTlsContext");
  public static final String UPSTREAM_TYPE_URL =
      ProtoTypes.typeUrl(TlsProto.getDescriptor(), "UpstreamTlsContext");

  private TlsTranslator() {}

  /**
   * A filter chain's {@code transport_socket}.
   *
   * @param path where it sits, e.g. {@code static_resources.listeners[0].filter_chains[0]
   *     .transport_socket}
   */
  public static DownstreamTlsConfig downstream(TransportSocket socket, String path)
      throws ConfigException {
    DownstreamTlsContext proto = unpack(socket, DownstreamTlsContext.class, path);
    String at = Paths.field(path, "typed_config");
    SupportedFieldsCheck.check(proto, at);
    if (!proto.hasCommonTlsContext()) {
      throw ConfigException.at(Paths.field(at, "common_tls_context"), "required");
    }
    CommonTlsConfig common =
        common(proto.getCommonTlsContext(), Paths.field(at, "common_tls_context"));
    try {
      return new DownstreamTlsConfig(
          common,
          proto.hasRequireClientCertificate() && proto.getRequireClientCertificate().getValue());
    } catch (IllegalArgumentException e) {
      throw Paths.fromModel(at, e);
    }
  }

  /**
   * A cluster's {@code transport_socket}.
   *
   * @param path where it sits, e.g. {@code static_resources.clusters[0].transport_socket}
   */
  public static UpstreamTlsConfig upstream(TransportSocket socket, String path)
      throws ConfigException {
    UpstreamTlsContext proto = unpack(socket, UpstreamTlsContext.class, path);
    String at = Paths.field(path, "typed_config");
    SupportedFieldsCheck.check(proto, at);
    CommonTlsConfig common =
        common(proto.getCommonTlsContext(), Paths.field(at, "common_tls_context"));
    try {
      return new UpstreamTlsConfig(common, proto.getSni());
    } catch (IllegalArgumentException e) {
      throw Paths.fromModel(at, e);
    }
  }

  private static <T extends Message> T unpack(TransportSocket socket, Class<T> type, String path)
      throws ConfigException {
    if (!socket.getName().equals(TRANSPORT_SOCKET_NAME)) {
      throw ConfigException.at(
          Paths.field(path, "name"),
          "\"" + socket.getName() + "\" not supported (supported: " + TRANSPORT_SOCKET_NAME + ")");
    }
    String at = Paths.field(path, "typed_config");
    if (!socket.hasTypedConfig()) {
      throw ConfigException.at(at, "required");
    }
    Any any = socket.getTypedConfig();
    try {
      if (!Anys.is(any, type)) {
        throw ConfigException.at(
            at,
            "type \""
                + any.getTypeUrl()
                + "\" not supported here (expected: "
                + type.getSimpleName()
                + ")");
      }
      return Anys.unpack(any, type);
    } catch (InvalidProtocolBufferException e) {
      throw ConfigException.at(at, "cannot decode " + any.getTypeUrl() + ": " + e.getMessage());
    }
  }

  private static CommonTlsConfig common(CommonTlsContext proto, String path)
      throws ConfigException {
    List<TlsCertificateConfig> certs = new ArrayList<>();
    for (int i = 0; i < proto.getTlsCertificatesCount(); i++) {
      certs.add(certificate(proto.getTlsCertificates(i), Paths.item(path, "tls_certificates", i)));
    }
    TlsParamsConfig params =
        proto.hasTlsParams()
            ? params(proto.getTlsParams(), Paths.field(path, "tls_params"))
            : TlsParamsConfig.DEFAULT;
    Optional<ValidationConfig> validation =
        proto.hasValidationContext()
            ? Optional.of(
                validation(proto.getValidationContext(), Paths.field(path, "validation_context")))
            : Optional.empty();
    try {
      return new CommonTlsConfig(
          certs,
          params,
          proto.getAlpnProtocolsList(),
          validation,
          SecretTranslator.certificateSds(proto, path),
          SecretTranslator.validationSds(proto, path));
    } catch (IllegalArgumentException e) {
      throw Paths.fromModel(path, e);
    }
  }

  static TlsCertificateConfig certificate(TlsCertificate proto, String path)
      throws ConfigException {
    if (!proto.hasCertificateChain()) {
      throw ConfigException.at(Paths.field(path, "certificate_chain"), "required");
    }
    if (!proto.hasPrivateKey()) {
      throw ConfigException.at(Paths.field(path, "private_key"), "required");
    }
    return new TlsCertificateConfig(
        dataSource(proto.getCertificateChain(), Paths.field(path, "certificate_chain")),
        dataSource(proto.getPrivateKey(), Paths.field(path, "private_key")));
  }

  static DataSourceConfig dataSource(DataSource proto, String path) throws ConfigException {
    return switch (proto.getSpecifierCase()) {
      case FILENAME ->
          nonEmpty(DataSourceConfig.Kind.FILENAME, proto.getFilename(), path, "filename");
      case INLINE_STRING ->
          nonEmpty(DataSourceConfig.Kind.INLINE, proto.getInlineString(), path, "inline_string");
      case INLINE_BYTES ->
          nonEmpty(
              DataSourceConfig.Kind.INLINE,
              proto.getInlineBytes().toString(StandardCharsets.UTF_8),
              path,
              "inline_bytes");
      default ->
          throw ConfigException.at(path, "one of filename, inline_string or inline_bytes required");
    };
  }

  private static DataSourceConfig nonEmpty(
      DataSourceConfig.Kind kind, String value, String path, String field) throws ConfigException {
    if (value.isEmpty()) {
      throw ConfigException.at(Paths.field(path, field), "empty");
    }
    return new DataSourceConfig(kind, value);
  }

  private static TlsParamsConfig params(TlsParameters proto, String path) throws ConfigException {
    TlsVersion min =
        version(
            proto.getTlsMinimumProtocolVersion(),
            TlsVersion.TLS_1_2,
            Paths.field(path, "tls_minimum_protocol_version"));
    TlsVersion max =
        version(
            proto.getTlsMaximumProtocolVersion(),
            TlsVersion.TLS_1_3,
            Paths.field(path, "tls_maximum_protocol_version"));
    List<CipherSuite> suites = new ArrayList<>();
    for (int i = 0; i < proto.getCipherSuitesCount(); i++) {
      String name = proto.getCipherSuites(i);
      Optional<CipherSuite> suite = CipherSuite.byOpenSslName(name);
      if (suite.isEmpty()) {
        throw ConfigException.at(
            Paths.item(path, "cipher_suites", i),
            "\""
                + name
                + "\" not supported (expected: an ECDHE suite with AES-GCM or CHACHA20-POLY1305: "
                + String.join(
                    ", ", CipherSuite.defaults().stream().map(CipherSuite::openSslName).toList())
                + ")");
      }
      suites.add(suite.get());
    }
    try {
      return new TlsParamsConfig(min, max, suites.isEmpty() ? CipherSuite.defaults() : suites);
    } catch (IllegalArgumentException e) {
      throw Paths.fromModel(path, e);
    }
  }

  private static TlsVersion version(TlsParameters.TlsProtocol proto, TlsVersion auto, String path)
      throws ConfigException {
    return switch (proto) {
      case TLS_AUTO -> auto;
      case TLSv1_2 -> TlsVersion.TLS_1_2;
      case TLSv1_3 -> TlsVersion.TLS_1_3;
      default ->
          throw ConfigException.at(
              path,
              proto + " not supported (expected: TLSv1_2 or TLSv1_3; TLS 1.0 and 1.1 are off)");
    };
  }

  private static ValidationConfig validation(CertificateValidationContext proto, String path)
      throws ConfigException {
    if (!proto.hasTrustedCa()) {
      throw ConfigException.at(
          Paths.field(path, "trusted_ca"), "required (the CA certificates that verify the peer)");
    }
    ValidationContextPart part = validationPart(proto, path);
    return part.merge(ValidationContextPart.EMPTY);
  }

  /** A validation context that may leave its {@code trusted_ca} to a Secret or a default. */
  static ValidationContextPart validationPart(CertificateValidationContext proto, String path)
      throws ConfigException {
    Optional<DataSourceConfig> ca =
        proto.hasTrustedCa()
            ? Optional.of(dataSource(proto.getTrustedCa(), Paths.field(path, "trusted_ca")))
            : Optional.empty();
    List<SanMatcher> matchers = new ArrayList<>();
    for (int i = 0; i < proto.getMatchTypedSubjectAltNamesCount(); i++) {
      matchers.add(
          sanMatcher(
              proto.getMatchTypedSubjectAltNames(i),
              Paths.item(path, "match_typed_subject_alt_names", i)));
    }
    return new ValidationContextPart(ca, matchers);
  }

  private static SanMatcher sanMatcher(SubjectAltNameMatcher proto, String path)
      throws ConfigException {
    if (proto.getSanType() != SubjectAltNameMatcher.SanType.URI) {
      throw ConfigException.at(
          Paths.field(path, "san_type"),
          proto.getSanType() + " not supported (expected: URI; SPIFFE identities are URI SANs)");
    }
    String at = Paths.field(path, "matcher");
    StringMatcher m = proto.getMatcher();
    if (m.getIgnoreCase()) {
      throw ConfigException.at(Paths.field(at, "ignore_case"), "not supported for SAN matching");
    }
    try {
      return switch (m.getMatchPatternCase()) {
        case EXACT -> new SanMatcher(SanMatcher.Kind.EXACT, m.getExact());
        case PREFIX -> new SanMatcher(SanMatcher.Kind.PREFIX, m.getPrefix());
        case SUFFIX, CONTAINS, SAFE_REGEX ->
            throw ConfigException.at(
                Paths.field(at, m.getMatchPatternCase().name().toLowerCase(java.util.Locale.ROOT)),
                "not supported for SAN matching (expected: exact or prefix)");
        default -> throw ConfigException.at(at, "one of exact or prefix required");
      };
    } catch (IllegalArgumentException e) {
      throw Paths.fromModel(at, e);
    }
  }
}
